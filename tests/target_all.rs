//! `explain --target all` (issue 16): every class of a 3-class model in
//! one shared pass. Each class's results equal `--target <class>` bit for
//! bit (library and CLI, CSV and JSON), probability attributions sum to
//! zero over the classes, the output layouts of docs/spec-additions.md,
//! per-class charts, and a one-line error for an unknown class.

mod common;

use std::path::Path;

use common::{ok, run, temp_dir};
use glassbox::explainer::{explain_table, BaselineSpec, ExplainRequest, Integration, Table};
use glassbox::glt::Model;
use serde_json::Value;

const CLASSES: [&str; 3] = ["blue", "green", "red"];

/// A 3-class table (label from two of four features) and a tiny model.
fn trained(dir: &Path) {
    let mut csv = String::from("a,b,c,d,y\n");
    for i in 0..90 {
        let f = |k: f64| ((i as f64) * k).sin() * 2.0;
        let (a, b, c, d) = (f(0.37), f(1.13), f(2.71), f(0.59));
        let y = if a + 0.5 * b > 0.8 {
            "red"
        } else if a - b < -0.5 {
            "green"
        } else {
            "blue"
        };
        csv.push_str(&format!("{a:.4},{b:.4},{c:.4},{d:.4},{y}\n"));
    }
    std::fs::write(dir.join("d.csv"), csv).unwrap();
    let args =
        "--data d.csv --label y --lambda 0 --d-model 8 --heads 2 --blocks 1 --d-ff 8 --epochs 4 --out m.glt --quiet";
    ok("train", &args.split(' ').collect::<Vec<_>>(), dir);
}

fn explain(dir: &Path, extra: &str) -> String {
    let mut args = vec!["--model", "m.glt", "--data", "d.csv", "--rows", "0-4", "--quiet"];
    args.extend(extra.split(' '));
    ok("explain", &args, dir)
}

fn csv_lines(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn target_all_equals_each_class_alone_in_the_library_and_the_cli() {
    let dir = temp_dir("target-all");
    trained(&dir);
    let model = Model::load(&dir.join("m.glt")).unwrap();
    assert_eq!(model.class_names, CLASSES);

    // Library: adaptive (f64) and a fixed rule (f32), with global importance.
    let table = Table::load(&model, &dir.join("d.csv"), &[], &[]).unwrap();
    let fixed = Integration { method: "gausslegendre".into(), steps: 16, ..Integration::default() };
    for integration in [Integration::default(), fixed] {
        let ig = integration.ig_config().unwrap();
        let mut all = ExplainRequest::new((0..7).collect(), BaselineSpec::Mean, ig.clone());
        (all.all_classes, all.global, all.rows_per_part) = (true, true, 3);
        let every = explain_table(&model, &table, &all, &mut |_, _| {}).unwrap();
        assert_eq!(every.rows.len(), 7 * 3);
        assert!(every.global.is_none() && every.global_per_class.len() == 3);
        for c in 0..3 {
            let mut one = ExplainRequest::new((0..7).collect(), BaselineSpec::Mean, ig.clone());
            (one.ig.target, one.global) = (c, true);
            let alone = explain_table(&model, &table, &one, &mut |_, _| {}).unwrap();
            let mine: Vec<_> = every.rows.iter().filter(|r| r.target == c).collect();
            assert_eq!(mine.len(), alone.rows.len());
            for (a, b) in mine.iter().zip(&alone.rows) {
                assert_eq!(**a, *b, "class {c} row {}", b.index); // every field, bit for bit
            }
            assert_eq!(every.global_per_class[c], alone.global.unwrap());
        }
        // Σ_c p_c ≡ 1: the classes' probability attributions cancel per row
        // (exactly up to rounding for a fixed rule; within the classes'
        // deltas for the adaptive engine, whose panels differ per class).
        for row in every.rows.chunks(3) {
            let total: f64 = row.iter().flat_map(|r| &r.attributions).sum();
            let deltas: f64 = row.iter().map(|r| r.delta.abs()).sum();
            assert!(total.abs() <= deltas + 1e-9, "row {}: {total:e}", row[0].index);
        }
    }

    // CLI, CSV: a target column after the index; each class's lines are
    // those of --target <class> with that column taken out.
    explain(&dir, "--target all --method gausslegendre --steps 16 --out all.csv");
    let lines = csv_lines(&dir.join("all.csv"));
    assert_eq!(lines[0][..3], ["index", "target", "predicted_class"]);
    assert_eq!(lines.len(), 1 + 5 * 3);
    for (c, name) in CLASSES.iter().enumerate() {
        explain(&dir, &format!("--target {name} --method gausslegendre --steps 16 --out {c}.csv"));
        let alone = csv_lines(&dir.join(format!("{c}.csv")));
        let mine: Vec<Vec<String>> = lines[1..]
            .iter()
            .filter(|l| l[1] == *name)
            .map(|l| l.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, v)| v.clone()).collect())
            .collect();
        assert_eq!(mine, alone[1..], "class {name}");
    }

    // CLI, JSON: "target": "all", a target per row entry, global per class.
    let text = explain(&dir, "--target all --global --groups --out all.json --plot chart.svg");
    let doc: Value = serde_json::from_slice(&std::fs::read(dir.join("all.json")).unwrap()).unwrap();
    assert_eq!(doc["target"], "all");
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 15);
    let targets: Vec<&str> = rows.iter().take(3).map(|r| r["target"].as_str().unwrap()).collect();
    assert_eq!(targets, CLASSES);
    assert_eq!(rows[3]["index"], 1);
    let global = doc["global"].as_object().unwrap();
    assert_eq!(global.keys().collect::<Vec<_>>(), CLASSES.iter().collect::<Vec<_>>());
    assert_eq!(global["red"]["rows"], 5);
    // The text report: every class's table for a row, global per class.
    for name in CLASSES {
        assert!(text.contains(&format!("of class {name}:")), "{text}");
        assert!(text.contains(&format!("Global importance over 5 rows, class {name}")), "{text}");
        for file in [format!("chart-row0-{name}.svg"), format!("chart-global-{name}.svg")] {
            assert!(dir.join(&file).exists(), "{file}");
        }
    }
    // One row: the chart per class is suffixed with the class name only.
    let one = ["--model", "m.glt", "--data", "d.csv", "--rows", "2", "--target", "all", "--plot", "one.png", "--quiet"];
    ok("explain", &one, &dir);
    assert!(CLASSES.iter().all(|c| dir.join(format!("one-{c}.png")).exists()));

    // An unknown class: one clear line naming the flag.
    let out = run("explain", &["--model", "m.glt", "--data", "d.csv", "--target", "purple", "--quiet"], &dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("--target 'purple'") && err.contains("or all") && err.trim().lines().count() == 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
