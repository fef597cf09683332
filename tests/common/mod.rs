//! Running the workspace's binaries from the root package's tests. They
//! are separate packages, so they are found beside the test executable
//! (`target/<profile>/`), where `cargo test --workspace` builds them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of a workspace binary (`synth`, `train`, `explain`, `inspect`).
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} not built: run `cargo test --workspace`", path.display());
    path
}

/// Runs a binary with arguments in `dir`.
pub fn run(name: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(bin(name)).args(args).current_dir(dir).output().expect("binary runs")
}

/// Runs and asserts success, returning stdout.
pub fn ok(name: &str, args: &[&str], dir: &Path) -> String {
    let out = run(name, args, dir);
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("glassbox-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
