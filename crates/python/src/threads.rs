//! Every long call runs with the GIL released, on a thread pool of its own
//! (`n_threads`, default one per core), never on rayon's global pool: a
//! global pool's threads do not survive `fork()`, so a forked child
//! (multiprocessing, Spark's Python workers) that touched it would wait
//! forever. Results do not depend on the thread count (bitwise).

use pyo3::prelude::*;

use crate::errors::{guarded, Failure};

/// The largest thread count accepted.
pub const MAX_THREADS: usize = 1024;

/// Runs `work` without the GIL on a local pool of `n_threads` threads.
pub fn run<T: Send>(
    py: Python<'_>,
    n_threads: Option<usize>,
    work: impl FnOnce() -> Result<T, Failure> + Send,
) -> PyResult<T> {
    let n = match n_threads {
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(0) => return Err(Failure::value("n_threads must be at least 1").into()),
        Some(n) if n > MAX_THREADS => {
            return Err(
                Failure::value(format!("n_threads = {n} is more than {MAX_THREADS}; use the number of cores")).into()
            )
        }
        Some(n) => n,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| Failure::value(format!("n_threads = {n}: cannot start the threads ({e})")))?;
    py.detach(|| guarded(|| pool.install(work).map_err(PyErr::from)))
}
