//! What every glassbox tool shares: argument errors as one line, errors as
//! one line with a non-zero exit, progress bars only on a terminal, atomic
//! file writes, the thread count, and where the shipped models live.

use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};

/// Parses the command line. `--help`/`--version` print as usual; any other
/// argument error prints its message as one line (naming the flag) and
/// exits with status 2.
pub fn parse_args<C: Parser>() -> C {
    match C::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                e.exit();
            }
            // The message is the first paragraph (a missing-argument error
            // lists the flags on the following lines); joined into one line.
            let text = e.render().to_string();
            let paragraph: Vec<&str> = text
                .lines()
                .skip_while(|l| l.trim().is_empty())
                .take_while(|l| !l.trim().is_empty() && !l.starts_with("Usage:"))
                .map(str::trim)
                .collect();
            let message = if paragraph.is_empty() { "error: invalid arguments".into() } else { paragraph.join(" ") };
            eprintln!("{message} (see --help)");
            std::process::exit(2);
        }
    }
}

/// Prints `error: …` (the whole cause chain on one line) and exits with 1.
pub fn fail(e: impl Display) -> ! {
    let line = e.to_string().replace('\n', " ");
    eprintln!("error: {line}");
    std::process::exit(1);
}

/// A progress bar on stderr, hidden when stderr is not a terminal or the
/// user asked for `--quiet`.
pub fn progress_bar(len: u64, quiet: bool, template: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// folder, synced, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// Sets the number of rayon threads (`--threads N`); `None` keeps rayon's
/// default (one per core).
pub fn set_threads(threads: Option<usize>) -> Result<(), String> {
    let Some(n) = threads else { return Ok(()) };
    if n == 0 {
        return Err("--threads must be at least 1".into());
    }
    rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| format!("--threads {n}: {e}"))
}

/// The folder of the shipped demo models: `./models` if it exists, else
/// the repository's `models/` (found from this crate's source location).
pub fn models_dir() -> PathBuf {
    let local = PathBuf::from("models");
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}
