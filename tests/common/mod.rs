//! Running the workspace's binaries from the root package's tests. They
//! are separate packages, and cargo builds a package's executables only for
//! that package's own integration tests, so the first use in a test
//! process runs `cargo build --workspace --bins` (same profile and target
//! folder; a no-op when they are up to date, and never a stale binary).
//! The whole workspace, not `-p` for the four tools: a build of some
//! packages resolves other features than `cargo test --workspace` and would
//! compile the dependencies a second time.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Once;

/// Builds the workspace's executables once per test process.
fn build_binaries(profile_dir: &Path) {
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let target = profile_dir.parent().expect("target folder");
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.arg("build").arg("--quiet").env("CARGO_TARGET_DIR", target).current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|p| p == "release") {
            cmd.arg("--release");
        }
        cmd.args(["--workspace", "--bins"]);
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "building the workspace binaries failed");
    });
}

/// Path of a workspace binary (`synth`, `train`, `explain`, `inspect`).
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
    build_binaries(dir);
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} was not built", path.display());
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
