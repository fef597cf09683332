//! The command line: help, quiet runs, and one-line errors with a non-zero exit.

mod common;
use common::*;

/// Asserts a failed run with exactly one stderr line mentioning `needle`.
fn fails_with(args: &[&str], needle: &str) {
    let out = synth(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.status.code().is_some(), "{args:?} was killed (panic/abort?)");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: not one line:\n{err}");
    assert!(err.contains(needle), "{args:?}: {err:?} does not mention {needle}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

#[test]
fn bad_input_is_one_line_and_non_zero() {
    let dir = scratch("cli-bad");
    let out = dir.join("x.csv");
    let out = out.to_str().unwrap();
    fails_with(&["railway", "--rows", "0", "--out", out], "--rows");
    fails_with(&["railway", "--rows", "-5", "--out", out], "--rows");
    fails_with(&["railway", "--rows", "ten", "--out", out], "--rows");
    fails_with(&["railway", "--rows", "1000000000", "--out", out], "--rows");
    fails_with(&["railway", "--rows", "10", "--seed", "x", "--out", out], "--seed");
    fails_with(&["trains", "--rows", "10", "--out", out], "trains");
    fails_with(&["railway", "--rows", "10"], "--out");
    fails_with(&[], "--rows");
    fails_with(&["railway", "--rows", "10", "--out", out, "--colour"], "--colour");
    fails_with(&["railway", "--rows", "10", "--out", "/nonexistent-dir/x.csv"], "--out /nonexistent-dir/x.csv");
    fails_with(&["collider", "--rows", "10", "--out", dir.to_str().unwrap()], "--out");
    fails_with(&["collider", "--rows", "10", "--out", out, "--truth", "/nonexistent-dir/t.json"], "--truth");
    fails_with(&["collider", "--rows", "10", "--out", out, "--truth", out], "--truth");
    // Nothing was left behind: no output, no temporary files.
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn help_and_version_succeed() {
    let help = synth(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for word in ["railway", "collider", "--rows", "--seed", "--out", "--truth", "--quiet"] {
        assert!(text.contains(word), "--help lacks {word}");
    }
    assert!(synth(&["--version"]).status.success());
}

#[test]
fn summary_line_unless_quiet_and_files_replace_atomically() {
    let dir = scratch("cli-summary");
    let out = dir.join("d.csv");
    let args = ["railway", "--rows", "50", "--out", out.to_str().unwrap()];
    let run = synth(&args);
    assert!(run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.starts_with("synth: wrote 50 rows") && err.lines().count() == 1, "{err}");
    assert!(run.stdout.is_empty());
    // Overwriting an existing file works, and only the requested file remains.
    std::fs::write(&out, "old").unwrap();
    let quiet = synth(&[&args[..], &["--quiet"]].concat());
    assert!(quiet.status.success() && quiet.stderr.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("Tc_BaseCode,"));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}
