//! A small per-thread pool of freed tensor buffers, so that the next tape
//! reuses the memory of the last one instead of asking the kernel for it.
//!
//! Why: the batched IG pass runs one tape per chunk of points, and each
//! chunk's activations (~12 MB for the default GLT) are freed when the
//! chunk's tape drops. glibc hands that memory back to the system (large
//! blocks are `mmap`ed, and the top of the heap is trimmed), so the next
//! chunk faults the same pages in again: `perf` showed about a quarter of a
//! thread in the kernel clearing and mapping pages, and with
//! `MALLOC_TRIM_THRESHOLD_` raised (a diagnostic) one thread went from 44
//! to 58 rows/s. Instead, the tape returns the tensors its backward rules
//! saved to this pool when it drops ([`recycle`]), and the ops take their
//! output buffers from it ([`uninit`]). Measured: 200 IG rows on one
//! thread take 22 000 minor page faults instead of 579 000, and the IG
//! bench went from 44 to 54 rows/s on one thread (81 to 99 on two).
//!
//! Bounded: only buffers of at least [`MIN_BYTES`] are kept (glibc serves
//! small blocks well), and at most [`MAX_BYTES`] per thread; a buffer that
//! does not fit is freed as before. A request takes the smallest pooled
//! buffer of the element type that is large enough but at most twice the
//! size (chunks repeat the same shapes, so this is nearly always an exact
//! fit), or allocates.
//!
//! Safe to reuse: a buffer comes out as uninitialised memory
//! (`MaybeUninit<T>`), exactly as a fresh allocation would, and every
//! caller writes all of it before `assume_init` (the fill helpers assert
//! it). Values never depend on which buffer was used, so results are
//! bitwise the same with or without the pool.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::mem::{size_of, ManuallyDrop, MaybeUninit};

use ndarray::{ArrayD, Dimension, IxDyn};

use crate::{Real, Tensor};

/// Buffers smaller than this are left to the allocator.
const MIN_BYTES: usize = 64 << 10;
/// Bytes a thread's pool may hold.
const MAX_BYTES: usize = 64 << 20;

/// One pooled buffer: a `Vec<MaybeUninit<T>>` of length 0, type-erased.
struct Entry {
    ty: TypeId,
    bytes: usize,
    capacity: usize,
    buf: Box<dyn Any>,
}

#[derive(Default)]
struct Pool {
    entries: Vec<Entry>,
    bytes: usize,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool::default());
}

/// An uninitialised standard-layout tensor of shape `dim` (as
/// `Tensor::uninit`), in a pooled buffer when one fits.
pub(crate) fn uninit<T: Real>(dim: IxDyn) -> ArrayD<MaybeUninit<T>> {
    let len = dim.size();
    let mut buf = take::<T>(len).unwrap_or_else(|| Vec::with_capacity(len));
    // SAFETY: the capacity is at least `len` (checked by `take`, or just
    // allocated), and `MaybeUninit<T>` needs no initialisation.
    unsafe { buf.set_len(len) };
    ArrayD::from_shape_vec(dim, buf).expect("the buffer holds the shape")
}

/// Gives a tensor's buffer to this thread's pool (or frees it when it is
/// small or the pool is full). Its contents are never read again.
pub(crate) fn recycle<T: Real>(t: Tensor<T>) {
    let (buf, _) = t.into_raw_vec_and_offset();
    let bytes = buf.capacity() * size_of::<T>();
    if bytes < MIN_BYTES {
        return;
    }
    let mut buf = ManuallyDrop::new(buf);
    // SAFETY: `MaybeUninit<T>` has the size and alignment of `T`, so the
    // allocation is described by the same pointer, length and capacity
    // (and freed with the same layout); the original `Vec` is never used
    // or dropped again (`ManuallyDrop`).
    let mut buf: Vec<MaybeUninit<T>> =
        unsafe { Vec::from_raw_parts(buf.as_mut_ptr().cast(), buf.len(), buf.capacity()) };
    buf.clear();
    let capacity = buf.capacity();
    POOL.with_borrow_mut(|pool| {
        if pool.bytes + bytes <= MAX_BYTES {
            pool.bytes += bytes;
            pool.entries.push(Entry { ty: TypeId::of::<T>(), bytes, capacity, buf: Box::new(buf) });
        }
    });
}

/// The smallest pooled buffer of `T`s holding `len` to `2·len` elements.
fn take<T: Real>(len: usize) -> Option<Vec<MaybeUninit<T>>> {
    if len * size_of::<T>() < MIN_BYTES {
        return None;
    }
    POOL.with_borrow_mut(|pool| {
        let ty = TypeId::of::<T>();
        let (i, _) = pool
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.ty == ty && e.capacity >= len && e.capacity / 2 <= len)
            .min_by_key(|(_, e)| e.capacity)?;
        let e = pool.entries.swap_remove(i);
        pool.bytes -= e.bytes;
        Some(*e.buf.downcast::<Vec<MaybeUninit<T>>>().expect("entries are typed by `ty`"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recycled buffer is handed out again for the same shape, and a
    /// request of another type or a much smaller size does not take it.
    #[test]
    fn reuses_buffers_by_type_and_size() {
        let t = Tensor::<f32>::zeros(IxDyn(&[256, 128]));
        let ptr = t.as_ptr() as usize;
        recycle(t);
        assert!(take::<f64>(256 * 64).is_none());
        assert!(take::<f32>(256 * 32).is_none());
        let mut again = uninit::<f32>(IxDyn(&[128, 256]));
        assert_eq!(again.as_mut_ptr() as usize, ptr);
        assert!(take::<f32>(256 * 128).is_none());
    }
}
