//! Atomic file writes: every file glassbox writes (model files, reports,
//! attributions, evaluations, safetensors) goes through [`write_atomic`],
//! so a crash never leaves a half-written file behind. A temporary file
//! that a killed run left (`.NAME.tmp-PID` of a process no longer running)
//! is removed by the next write of `NAME`.

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
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    remove_stale(folder, &format!(".{name}.tmp-"));
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

/// Removes the entries of `folder` named `PREFIX<pid>` (or
/// `PREFIX<pid>-<n>`) whose process is no longer running (Linux: no
/// `/proc/<pid>`); elsewhere, those older than a day. Ours, of running
/// processes, and other files are left alone.
pub(crate) fn remove_stale(folder: &Path, prefix: &str) {
    remove_stale_where(folder, &|name| name.strip_prefix(prefix).and_then(|p| p.split('-').next()))
}

/// [`remove_stale`] for every [`write_atomic`] temporary file of `folder`
/// (`.<name>.tmp-<pid>`, whatever the name), in one pass.
pub(crate) fn remove_stale_temp_files(folder: &Path) {
    remove_stale_where(folder, &|name| name.strip_prefix('.').and_then(|n| n.rsplit_once(".tmp-")).map(|(_, p)| p))
}

/// Removes the entries whose name gives a process id (`pid_of`) that is stale.
fn remove_stale_where(folder: &Path, pid_of: &dyn Fn(&str) -> Option<&str>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let proc_fs = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = pid_of(&name).and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid == std::process::id() {
            continue;
        }
        let stale = if proc_fs {
            !Path::new("/proc").join(pid.to_string()).exists()
        } else {
            let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
            age.is_some_and(|a| a.as_secs() > 86_400)
        };
        if stale {
            let p = entry.path();
            let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        }
    }
}
