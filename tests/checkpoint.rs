//! `train --checkpoint DIR --resume`: a run killed midway (SIGKILL, no
//! chance to clean up) and resumed ends with a model file bitwise identical
//! to an uninterrupted run's; an earlier run's checkpoint is never
//! overwritten without `--resume`, nor resumed by a different run.

mod common;

use common::{ok, run, temp_dir};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn train_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--data",
        "rail.csv",
        "--label",
        "Tc_target",
        "--lambda",
        "auto",
        "--d-model",
        "8",
        "--heads",
        "2",
        "--blocks",
        "1",
        "--d-ff",
        "16",
        "--epochs",
        "12",
        "--patience",
        "100",
        "--path-points",
        "3",
        "--path-epochs",
        "10",
        "--seed",
        "3",
        "--quiet",
        "--out",
        out,
    ];
    a.extend(extra);
    a
}

fn size(file: &Path) -> u64 {
    std::fs::metadata(file).map_or(0, |m| m.len())
}

#[test]
fn a_killed_and_resumed_run_is_bitwise_identical_to_an_uninterrupted_one() {
    let dir = temp_dir("checkpoint");
    ok("synth", &["railway", "--rows", "600", "--seed", "5", "--out", "rail.csv"], &dir);
    ok("train", &train_args("straight.glt", &[]), &dir);

    let ck = dir.join("ck");
    let file = ck.join("train.checkpoint");
    let mut child = Command::new(common::bin("train"))
        .args(train_args("resumed.glt", &["--checkpoint", "ck"]))
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the dense fit is finished (the checkpoint grows by a
    // finished fit's parameters: four parameter-sized tensors lists while
    // the dense fit runs, five after), so that the resumed run replays the dense
    // fit and continues the λ path: 12 + 3×10 epochs in all.
    let start = Instant::now();
    let mut first = 0;
    while first == 0 || size(&file) * 100 <= first * 115 {
        if first == 0 {
            first = size(&file);
        }
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
        assert!(start.elapsed() < Duration::from_secs(300), "no checkpoint appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!dir.join("resumed.glt").exists(), "killed before the end");
    assert!(file.exists());

    // Without --resume the earlier run's checkpoint is refused, not overwritten.
    let out = run("train", &train_args("resumed.glt", &["--checkpoint", "ck"]), &dir);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--resume"));
    // A different run (another seed) does not resume it.
    let mut other = train_args("other.glt", &["--checkpoint", "ck", "--resume"]);
    let seed = other.iter().position(|a| *a == "--seed").unwrap() + 1;
    other[seed] = "4";
    let out = run("train", &other, &dir);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("different run"));

    ok("train", &train_args("resumed.glt", &["--checkpoint", "ck", "--resume"]), &dir);
    let (a, b) = (std::fs::read(dir.join("straight.glt")).unwrap(), std::fs::read(dir.join("resumed.glt")).unwrap());
    assert!(a == b, "the resumed model differs from the uninterrupted one");
    assert!(!file.exists(), "a finished run removes its checkpoint");
}
