//! Issue 14's classes of failure, through the binaries: inputs are never
//! clobbered (each case refused before any work, the input intact), outputs
//! are checked before the work, values beyond f32 are errors naming row and
//! column, resource caps give one line saying what to use, and `--data`
//! works from a pipe and a FIFO and refuses `/dev/zero` cleanly.

mod common;

use common::{ok, repo, run, temp_dir};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Asserts failure with one stderr line containing every `needle`; returns it.
fn fails(name: &str, args: &[&str], dir: &Path, needles: &[&str]) -> String {
    let out = run(name, args, dir);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{name} {args:?} should fail");
    assert_ne!(out.status.code(), Some(101), "{name} {args:?} panicked: {err}");
    // Warnings and train's data summary may come first; the error is one line, and the last.
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    let errors: Vec<&&str> = lines.iter().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{name} {args:?}: expected one error line, got {err}");
    let lines = [*lines.last().unwrap()];
    assert!(lines[0].starts_with("error:"), "{name} {args:?}: the error is not last: {err}");
    for n in needles {
        assert!(lines[0].contains(n), "{name} {args:?}: '{}' lacks '{n}'", lines[0]);
    }
    lines[0].to_string()
}

/// The demo model and rows, copied into `dir`.
fn demo(dir: &Path) -> (PathBuf, PathBuf) {
    let (m, d) = (dir.join("m.glt"), dir.join("d.csv"));
    std::fs::copy(repo().join("models/railway-demo.glt"), &m).unwrap();
    std::fs::copy(repo().join("models/railway-demo.csv"), &d).unwrap();
    (m, d)
}

const TINY: [&str; 12] =
    ["--d-model", "8", "--heads", "2", "--blocks", "1", "--d-ff", "8", "--epochs", "2", "--lambda", "0"];

#[test]
fn no_input_is_ever_clobbered_and_each_case_is_refused_before_any_work() {
    let dir = temp_dir("clobber");
    let (_, d) = demo(&dir);
    let before = std::fs::read(&d).unwrap();
    std::fs::write(dir.join("existing.glt"), b"an earlier model").unwrap();
    let train = |extra: &[&str]| {
        let mut a = vec!["--data", "d.csv", "--label", "Tc_target"];
        a.extend(TINY);
        a.extend(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "explain",
            ["--model", "m.glt", "--data", "d.csv", "--out", "d.csv"].map(String::from).to_vec(),
            "--data file",
        ),
        ("train", train(&["--out", "d.glt", "--report", "d.csv"]), ".json"),
        ("train", train(&["--out", "d.csv"]), ".glt"),
        ("train", train(&["--out", "m2.glt", "--report", "m2.glt"]), ".json"),
        ("inspect", ["m.glt", "--safetensors", "m.glt"].map(String::from).to_vec(), ".safetensors"),
        ("train", train(&["--out", "existing.glt", "--report", "nodir/r.json"]), "does not exist"),
        (
            "explain",
            ["--model", "m.glt", "--data", "d.csv", "--plot", "x.png", "--out", "nodir/a.json"]
                .map(String::from)
                .to_vec(),
            "does not exist",
        ),
    ];
    for (tool, args, needle) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(tool, &args, &dir, &[needle]);
    }
    // Hard links and other spellings of the same file are the same file.
    std::fs::hard_link(&d, dir.join("link.csv")).unwrap();
    fails("explain", &["--model", "m.glt", "--data", "d.csv", "--out", "link.csv"], &dir, &["--data file"]);
    fails("explain", &["--model", "m.glt", "--data", "d.csv", "--out", "./sub/../d.csv"], &dir, &["does not exist"]);
    std::fs::create_dir(dir.join("sub")).unwrap();
    fails("explain", &["--model", "m.glt", "--data", "d.csv", "--out", "sub/../d.csv"], &dir, &["--data file"]);

    assert_eq!(std::fs::read(&d).unwrap(), before, "the data is intact");
    assert_eq!(std::fs::read(dir.join("existing.glt")).unwrap(), b"an earlier model", "the old model is intact");
    assert!(!dir.join("m2.glt").exists() && !dir.join("d.glt").exists(), "no output of a refused run");
    let left: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(left.iter().all(|n| !n.starts_with("x") && !n.starts_with('.')), "charts or temp files left: {left:?}");
}

#[test]
fn multi_file_outputs_appear_together_and_stale_temp_files_go() {
    let dir = temp_dir("staged");
    demo(&dir);
    // A temporary file of a killed writer (a PID that cannot be running) is removed by the next write.
    std::fs::write(dir.join(".a.json.tmp-4000000000"), b"half").unwrap();
    let args =
        ["--model", "m.glt", "--data", "d.csv", "--rows", "0-2", "--plot", "c.png", "--out", "a.json", "--quiet"];
    ok("explain", &args, &dir);
    for f in ["c-row0.png", "c-row1.png", "c-row2.png", "a.json"] {
        assert!(dir.join(f).exists(), "{f} missing");
    }
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "temporary files left: {names:?}");
}

#[test]
fn a_value_beyond_f32_is_an_error_naming_row_and_column() {
    let dir = temp_dir("f32");
    let (_, d) = demo(&dir);
    let text = std::fs::read_to_string(&d).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[3].split(',').map(String::from).collect();
    cells[5] = "1e39".into(); // Wagon_Twist2m of data row 2
    lines[3] = cells.join(",");
    std::fs::write(dir.join("big.csv"), lines.join("\n") + "\n").unwrap();
    for extra in [&[][..], &["--method", "gausslegendre", "--steps", "50"][..]] {
        let mut args = vec!["--model", "m.glt", "--data", "big.csv"];
        args.extend(extra);
        fails("explain", &args, &dir, &["big.csv", "row 2", "Wagon_Twist2m", "f32"]);
    }
    let mut args = vec!["--data", "big.csv", "--label", "Tc_target"];
    args.extend(TINY);
    args.extend(["--out", "big.glt"]);
    fails("train", &args, &dir, &["big.csv", "row 2", "Wagon_Twist2m"]);
}

#[test]
fn caps_say_what_to_use_instead() {
    let dir = temp_dir("caps");
    demo(&dir);
    let explain = |extra: &[&str], needles: &[&str]| {
        let mut args = vec!["--model", "m.glt", "--data", "d.csv", "--rows", "0"];
        args.extend(extra);
        fails("explain", &args, &dir, needles)
    };
    explain(&["--method", "gausslegendre", "--steps", "18446744073709551615"], &["--steps", "cap", "100000"]);
    explain(&["--method", "riemann_left", "--steps", "10000000000"], &["--steps", "use at most 100000"]);
    explain(&["--threads", "2000"], &["--threads 2000", "cap", "use --threads"]);
    explain(&["--baseline", "background", "--baselines", "0"], &["--baselines 0", "between 1 and"]);
    explain(&["--max-evaluations", "100000000000"], &["--max-evaluations", "cap"]);
    let train = |extra: &[&str], needles: &[&str]| {
        let mut args = vec!["--data", "d.csv", "--label", "Tc_target", "--out", "x.glt"];
        args.extend(extra);
        fails("train", &args, &dir, needles)
    };
    train(&["--d-model", "1000000"], &["--d-model 1000000", "use --d-model 4096"]);
    train(
        &["--window", "100000", "--sequence-by", "Tc_BaseCode", "--order-by", "Tc_date"],
        &["--window 100000", "4096"],
    );
    train(&["--d-model", "4096", "--heads", "4", "--d-ff", "16384", "--blocks", "64"], &["memory", "use --d-model"]);
    assert!(!dir.join("x.glt").exists());
}

#[test]
fn steps_beyond_one_chunk_run_in_bounded_memory() {
    let dir = temp_dir("steps");
    demo(&dir);
    let args = [
        "--model",
        "m.glt",
        "--data",
        "d.csv",
        "--rows",
        "0",
        "--method",
        "riemann_middle",
        "--steps",
        "100000",
        "--out",
        "a.json",
    ];
    let mut child = Command::new(common::bin("explain"))
        .args(args)
        .arg("--quiet")
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            let hwm =
                s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
            peak_kib = peak_kib.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{:?}", child.stderr.take().map(std::io::read_to_string));
    // The 256 MiB tape budget plus the model and the program: far from the 24 GB of one batch.
    assert!(peak_kib < 1024 * 1024, "peak {peak_kib} KiB");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("a.json")).unwrap()).unwrap();
    let delta = json["rows"][0]["delta"].as_f64().unwrap();
    assert!(delta.abs() < 1e-3, "completeness at 100,000 steps: {delta}");
}

#[test]
fn data_from_a_pipe_and_a_fifo_and_dev_zero_refused() {
    let dir = temp_dir("streams");
    let (_, d) = demo(&dir);
    // A pipe (stdin) for explain and train.
    for (tool, args) in [
        ("explain", vec!["--model", "m.glt", "--data", "/dev/stdin", "--rows", "0", "--method", "gausslegendre"]),
        ("train", [&["--data", "/dev/stdin", "--label", "Tc_target", "--out", "p.glt"][..], &TINY[..]].concat()),
    ] {
        let mut child = Command::new(common::bin(tool))
            .args(&args)
            .arg("--quiet")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let bytes = std::fs::read(&d).unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &bytes));
        let child = child.wait_with_output().unwrap();
        feeder.join().unwrap().unwrap();
        assert!(child.status.success(), "{tool} from a pipe: {}", String::from_utf8_lossy(&child.stderr));
    }
    // A FIFO, written by another thread.
    let fifo = dir.join("rows.fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (src, dst) = (d.clone(), fifo.clone());
    let writer = std::thread::spawn(move || std::fs::write(dst, std::fs::read(src).unwrap()));
    let out = ok("explain", &["--model", "m.glt", "--data", "rows.fifo", "--rows", "1", "--quiet"], &dir);
    assert!(out.contains("Row 1"), "{out}");
    writer.join().unwrap().unwrap();
    // /dev/zero: refused after one bounded line, not read forever.
    fails(
        "explain",
        &["--model", "m.glt", "--data", "/dev/zero"],
        &dir,
        &["/dev/zero", "longer than", "not a text table"],
    );
    let mut args = vec!["--data", "/dev/zero", "--label", "y", "--out", "z.glt"];
    args.extend(TINY);
    fails("train", &args, &dir, &["/dev/zero", "longer than"]);
}

#[test]
fn shared_flags_are_checked_alike_and_messages_say_it_once() {
    let dir = temp_dir("flags");
    demo(&dir);
    let base = ["--model", "m.glt", "--data", "d.csv"];
    let explain = |extra: &[&str], needles: &[&str]| fails("explain", &[&base[..], extra].concat(), &dir, needles);
    explain(&["--id", "Nope"], &["--id Nope", "no column"]);
    explain(&["--rows", "0,,1"], &["--rows", "empty item"]);
    explain(&["--baseline-file", "d.csv"], &["--baseline-file", "--baseline zero"]);
    std::fs::create_dir(dir.join("adir.glt")).unwrap();
    let e = fails("explain", &["--model", "adir.glt", "--data", "d.csv"], &dir, &["adir.glt", "directory"]);
    assert_eq!(e.matches("directory").count(), 1, "said once: {e}");
    assert!(!e.contains("os error"), "{e}");
    let mut flipped = std::fs::read(dir.join("m.glt")).unwrap();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x10;
    std::fs::write(dir.join("flipped.glt"), &flipped).unwrap();
    let e = fails("explain", &["--model", "flipped.glt", "--data", "d.csv"], &dir, &["flipped.glt"]);
    assert!(!e.contains("Byte") && !e.contains("bincode"), "{e}");
}
