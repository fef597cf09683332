//! Bad input gets one clear error line and a non-zero exit, never a panic.

mod common;

use common::{ok, repo, run, temp_dir};
use std::path::Path;

/// Asserts failure with one stderr line containing every `needle`.
fn fails(name: &str, args: &[&str], dir: &Path, needles: &[&str]) {
    let out = run(name, args, dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name} {args:?} should fail");
    assert_ne!(out.status.code(), Some(101), "{name} {args:?} panicked: {err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{name} {args:?}: expected one error line, got {err}");
    for n in needles {
        assert!(lines[0].contains(n), "{name} {args:?}: '{}' lacks '{n}'", lines[0]);
    }
}

#[test]
fn every_kind_of_bad_input_is_one_clear_line() {
    let dir = temp_dir("bad");
    std::fs::write(
        dir.join("ok.csv"),
        "a,b,y\n1,2,0\n2,3,1\n3,1,0\n4,4,1\n5,2,0\n6,1,1\n7,3,0\n8,2,1\n9,1,0\n10,5,1\n",
    )
    .unwrap();
    std::fs::write(dir.join("text.csv"), "a,b,y\n1,2,0\n2,fast,1\n").unwrap();
    fails("train", &["--data", "missing.csv", "--label", "y", "--out", "m.glt"], &dir, &["missing.csv"]);
    fails("train", &["--data", "ok.csv", "--label", "nope", "--out", "m.glt"], &dir, &["nope"]);
    // Named features: a non-numeric cell is an error (without --features the column is left out).
    let text_args = ["--data", "text.csv", "--label", "y", "--features", "a,b", "--out", "m.glt"];
    fails("train", &text_args, &dir, &["row 1", "b", "fast"]);
    fails("train", &["--data", "ok.csv", "--label", "y", "--lambda", "abc", "--out", "m.glt"], &dir, &["--lambda"]);
    fails("train", &["--data", "ok.csv", "--label", "y", "--epochs", "x", "--out", "m.glt"], &dir, &["--epochs"]);
    fails("train", &["--data", "ok.csv", "--label", "y", "--bogus", "--out", "m.glt"], &dir, &["--bogus"]);

    // A real model for the explain-side checks.
    ok(
        "train",
        &[
            "--data",
            "ok.csv",
            "--label",
            "y",
            "--lambda",
            "0",
            "--d-model",
            "8",
            "--heads",
            "2",
            "--blocks",
            "1",
            "--d-ff",
            "8",
            "--epochs",
            "2",
            "--out",
            "m.glt",
            "--quiet",
        ],
        &dir,
    );
    std::fs::write(dir.join("other.csv"), "a,c\n1,2\n").unwrap();
    fails("explain", &["--model", "m.glt", "--data", "other.csv"], &dir, &["other.csv", "b"]);
    std::fs::write(dir.join("broken.glt"), b"GLT\0\x01\0\0\0garbage").unwrap();
    fails("explain", &["--model", "broken.glt", "--data", "ok.csv"], &dir, &["broken.glt", "corrupted"]);
    fails("inspect", &["broken.glt"], &dir, &["broken.glt"]);
    fails("explain", &["--model", "m.glt", "--data", "ok.csv", "--method", "simpson"], &dir, &["--method", "simpson"]);
    let explain_with = |flags: &[&'static str], needles: &[&str]| {
        let args: Vec<&str> = ["--model", "m.glt", "--data", "ok.csv"].iter().chain(flags).copied().collect();
        fails("explain", &args, &dir, needles);
    };
    explain_with(&["--tolerance", "-1"], &["--tolerance", "-1"]);
    explain_with(&["--tolerance", "1e-3,x"], &["--tolerance", "'x'"]);
    explain_with(&["--tolerance", "1e-3,-2"], &["--tolerance", "absolute"]);
    explain_with(&["--max-evaluations", "0"], &["--max-evaluations", "0"]);
    explain_with(&["--steps", "100"], &["--steps", "fixed --method"]);
    explain_with(&["--method", "gausslegendre", "--max-evaluations", "100"], &["--max-evaluations", "adaptive"]);
    explain_with(&["--method", "gausslegendre", "--tolerance", "1e-3,1e-6"], &["--tolerance", "adaptive"]);
    explain_with(&["--precision", "f16"], &["--precision", "f16"]);
    fails(
        "explain",
        &["--model", "m.glt", "--data", "ok.csv", "--baseline", "median"],
        &dir,
        &["--baseline", "median"],
    );
    fails("explain", &["--model", "m.glt", "--data", "ok.csv", "--rows", "3-99"], &dir, &["--rows", "99"]);
    fails("explain", &["--model", "m.glt", "--data", "ok.csv", "--out", "a.txt"], &dir, &["--out", "a.txt"]);
    fails("explain", &["--model", "m.glt", "--data", "ok.csv", "--plot", "c.jpg"], &dir, &["c.jpg"]);
    fails("explain", &["--model", "m.glt", "--data", "ok.csv", "--target", "7"], &dir, &["--target", "7"]);
    fails("explain", &["--model", "m.glt"], &dir, &["--data"]);

    // explain evaluate.
    fn ev<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [&["evaluate", "--model", "m.glt", "--data", "ok.csv"][..], extra].concat()
    }
    std::fs::write(dir.join("no-importance.json"), "{\"kind\": \"collider\"}").unwrap();
    fails("explain", &ev(&["--rankings", "zero,shap"]), &dir, &["--rankings", "shap"]);
    fails("explain", &ev(&["--rankings", "weighted"]), &dir, &["--weight-column"]);
    fails("explain", &ev(&["--format", "bmp"]), &dir, &["--format", "bmp"]);
    fails("explain", &ev(&["--k-max", "0"]), &dir, &["--k-max"]);
    fails("explain", &ev(&["--method", "simpson"]), &dir, &["--method", "simpson"]);
    fails("explain", &ev(&["--retrain-lambda=-1"]), &dir, &["--retrain-lambda"]);
    fails("explain", &ev(&["--truth", "missing.json"]), &dir, &["--truth", "missing.json"]);
    fails("explain", &ev(&["--truth", "no-importance.json"]), &dir, &["no-importance.json", "importance"]);
    fails("explain", &ev(&["--weight-column", "nope"]), &dir, &["nope"]);
    std::fs::write(dir.join("a-file"), "not a folder").unwrap();
    fails("explain", &ev(&["--out-dir", "a-file"]), &dir, &["--out-dir", "a-file"]);
    fails("explain", &["evaluate", "--model", "m.glt", "--data", "missing.csv"], &dir, &["missing.csv"]);
    fails("explain", &["evaluate", "--model", "m.glt"], &dir, &["--data"]);
    fails("explain", &["--model", "m.glt", "evaluate"], &dir, &["evaluate"]);
    fails("synth", &["railway", "--rows", "0", "--out", "x.csv"], &dir, &["--rows"]);
    assert!(!dir.join("x.csv").exists());
    let _ = repo();
    let _ = std::fs::remove_dir_all(dir);
}
