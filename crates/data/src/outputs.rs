//! Output paths checked before any work starts, and multi-file outputs
//! moved into place together.
//!
//! [`OutputPlan`] records a run's inputs and outputs by flag. Each output
//! must have an allowed extension, a parent folder that exists and can be
//! written (probed with a temporary file), not be a folder, and not be the
//! same file as any input or other output: paths are compared after
//! resolving the parent folder (`..`, symlinks), and existing files by
//! device and inode too (hard links). A tool calls it before loading
//! anything, so a refused run has done no work and touched no file.
//!
//! [`StagedFiles`] hands out paths in a hidden staging folder beside the
//! outputs; [`StagedFiles::commit`] renames every staged file into place
//! once all of them were written, and a stage that is dropped uncommitted
//! (an error on the way) removes what it staged. A new stage first removes
//! the stages and temporary files that killed processes left in its folder.

use std::path::{Path, PathBuf};

use crate::DataError;

/// A file's identity: its resolved path, and device and inode if it exists.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Identity {
    path: PathBuf,
    inode: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        let resolved = std::fs::canonicalize(path).ok().unwrap_or_else(|| {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
            parent.join(path.file_name().unwrap_or_default())
        });
        Identity { path: resolved, inode: inode(path) }
    }

    fn same(&self, other: &Identity) -> bool {
        self.path == other.path || (self.inode.is_some() && self.inode == other.inode)
    }
}

#[cfg(unix)]
fn inode(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn inode(_: &Path) -> Option<(u64, u64)> {
    None
}

/// A run's input and output files, by flag, checked before the work.
///
/// ```
/// use glassbox_data::OutputPlan;
/// let dir = std::env::temp_dir();
/// let data = dir.join(format!("glassbox-plan-doc-{}.csv", std::process::id()));
/// std::fs::write(&data, "a\n1\n")?;
/// let mut plan = OutputPlan::default();
/// plan.input("--data", &data);
/// let e = plan.output("--out", &data, &["json", "csv"]).unwrap_err();
/// assert!(e.to_string().contains("is the --data file"), "{e}");
/// assert!(plan.output("--out", &dir.join("x.txt"), &["json"]).unwrap_err().to_string().contains(".json"));
/// plan.output("--out", &dir.join("attributions.json"), &["json"])?;
/// # std::fs::remove_file(&data)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct OutputPlan {
    files: Vec<(String, Identity, bool)>,
}

impl OutputPlan {
    /// Records an input file (it may not exist yet: its reader says so).
    pub fn input(&mut self, flag: &str, path: &Path) -> &mut Self {
        self.files.push((flag.to_string(), Identity::of(path), false));
        self
    }

    /// Checks and records an output file whose name must end in one of
    /// `extensions` (without the dot; empty: any).
    pub fn output(&mut self, flag: &str, path: &Path, extensions: &[&str]) -> Result<&mut Self, DataError> {
        let fail = |reason: String| DataError::OutputPath { flag: flag.to_string(), path: path.to_path_buf(), reason };
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if !extensions.is_empty() && !extensions.contains(&ext.as_str()) {
            let list: Vec<String> = extensions.iter().map(|e| format!(".{e}")).collect();
            let (last, rest) = list.split_last().expect("extensions");
            let all = if rest.is_empty() { last.clone() } else { format!("{} or {last}", rest.join(", ")) };
            return Err(fail(format!("the file must end in {all}")));
        }
        if path.is_dir() {
            return Err(fail("is a folder; give a file name".into()));
        }
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(fail(format!("the folder {} does not exist; create it first", parent.display())));
        }
        let probe = parent.join(format!(".glassbox-probe-{}", std::process::id()));
        match std::fs::File::create(&probe) {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) => return Err(fail(format!("the folder {} cannot be written ({})", parent.display(), e.kind()))),
        }
        let me = Identity::of(path);
        if let Some((other, _, is_output)) = self.files.iter().find(|(_, id, _)| id.same(&me)) {
            let role = if *is_output { "output" } else { "file" };
            return Err(fail(format!("is the {other} {role}; writing it would destroy it. Choose another name")));
        }
        self.files.push((flag.to_string(), me, true));
        Ok(self)
    }
}

/// Files written under temporary names and moved into place together.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("glassbox-stage-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let mut stage = glassbox_data::StagedFiles::new(&dir)?;
/// std::fs::write(stage.path(&dir.join("a.txt")), "a")?;
/// assert!(!dir.join("a.txt").exists());
/// stage.commit()?;
/// assert_eq!(std::fs::read_to_string(dir.join("a.txt"))?, "a");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct StagedFiles {
    dir: PathBuf,
    moves: Vec<(PathBuf, PathBuf)>,
}

impl StagedFiles {
    /// A staging folder inside `folder` (where the outputs go, so the final
    /// renames stay on one file system).
    pub fn new(folder: &Path) -> Result<Self, DataError> {
        let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
        crate::atomic::remove_stale(folder, ".glassbox-stage-");
        // And temporary files of killed writers (`write_atomic`'s).
        crate::atomic::remove_stale_temp_files(folder);
        // One folder per stage, so two stages in one folder stay apart.
        static STAGES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STAGES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = folder.join(format!(".glassbox-stage-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| DataError::Io { path: dir.clone(), source })?;
        Ok(StagedFiles { dir, moves: Vec::new() })
    }

    /// Where to write the file that will become `target`.
    pub fn path(&mut self, target: &Path) -> PathBuf {
        let staged =
            self.dir.join(format!("{}-{}", self.moves.len(), target.file_name().unwrap_or_default().to_string_lossy()));
        self.moves.push((staged.clone(), target.to_path_buf()));
        staged
    }

    /// A scratch file in the staging folder named after `target`: never
    /// moved into place, removed with the folder.
    pub fn scratch(&self, target: &Path) -> PathBuf {
        self.dir.join(format!("scratch-{}", target.file_name().unwrap_or_default().to_string_lossy()))
    }

    /// Moves every staged file into place (each rename atomic), then
    /// removes the staging folder.
    pub fn commit(mut self) -> Result<(), DataError> {
        for (staged, target) in std::mem::take(&mut self.moves) {
            if staged.exists() {
                std::fs::rename(&staged, &target).map_err(|source| DataError::Io { path: target.clone(), source })?;
            }
        }
        Ok(())
    }
}

impl Drop for StagedFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
