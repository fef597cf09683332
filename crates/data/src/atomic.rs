//! Atomic file writes: every file glassbox writes (model files, reports,
//! attributions, evaluations, safetensors) goes through [`write_atomic`],
//! so a crash never leaves a half-written file behind.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file `.NAME.tmp-PID` in
/// the same folder, synced, then renamed over `path`. On failure the
/// temporary file is removed and the error names `path`.
///
/// ```
/// let path = std::env::temp_dir().join(format!("glassbox-atomic-doc-{}.txt", std::process::id()));
/// glassbox_data::write_atomic(&path, b"hello")?;
/// assert_eq!(std::fs::read(&path)?, b"hello");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
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
