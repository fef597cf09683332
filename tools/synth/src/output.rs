//! Output files, written atomically: the data goes to a hidden temporary file
//! next to the destination (`.NAME.tmp-PID`), which is flushed, synced and
//! then renamed over the destination. A failed or interrupted run therefore
//! never leaves a half-written CSV or JSON under the requested name; the
//! temporary file is removed when the writer is dropped without `commit`.

use anyhow::{bail, Context, Result};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A destination file being written through a temporary sibling.
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    flag: &'static str,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Opens the temporary file for `dest`; `flag` (e.g. `--out`) names the
    /// option in error messages.
    pub fn create(dest: &Path, flag: &'static str) -> Result<Self> {
        let shown = dest.display();
        if dest.as_os_str().is_empty() {
            bail!("{flag}: the file name is empty");
        }
        if dest.is_dir() {
            bail!("cannot write {flag} {shown}: it is a directory");
        }
        let Some(name) = dest.file_name() else {
            bail!("cannot write {flag} {shown}: not a file name");
        };
        let parent = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = parent.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
        let file = File::create(&tmp).with_context(|| format!("cannot write {flag} {shown}"))?;
        Ok(AtomicFile { dest: dest.to_path_buf(), tmp, flag, file: Some(BufWriter::new(file)) })
    }

    /// The buffered writer of the temporary file.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.file.as_mut().expect("writer used after commit")
    }

    /// Maps an I/O error while writing to a message naming the flag and file.
    pub fn write_error(&self, err: impl std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!("cannot write {} {}: {err}", self.flag, self.dest.display())
    }

    /// Flushes, syncs and renames the temporary file onto the destination.
    pub fn commit(mut self) -> Result<()> {
        let shown = format!("{} {}", self.flag, self.dest.display());
        let writer = self.file.take().expect("commit called twice");
        let file = writer.into_inner().map_err(|e| anyhow::anyhow!("cannot write {shown}: {}", e.error()))?;
        file.sync_all().with_context(|| format!("cannot write {shown}"))?;
        drop(file);
        fs::rename(&self.tmp, &self.dest).with_context(|| format!("cannot write {shown}"))?;
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `value` as pretty JSON with a final newline.
pub fn write_json<T: serde::Serialize>(file: &mut AtomicFile, value: &T) -> Result<()> {
    let w = file.writer();
    let result =
        serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::from).and_then(|()| w.write_all(b"\n"));
    result.map_err(|e| file.write_error(e))
}
