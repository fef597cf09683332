//! Results written part by part (issue 16: memory flat in the row count)
//! are the results written at once: the same CSV and JSON bytes, the same
//! Parquet columns, and the same global importance, whatever the part size;
//! the global importance summed row by row matches its definition.

use std::path::{Path, PathBuf};

use glassbox_data::read_columnar;
use glassbox_explainer::{
    attributions_parquet, csv_bytes, explain_parts, explain_table, feature_labels, json_document, AttributionWriter,
    BaselineSpec, ExplainRequest, Explained, GlobalAccumulator, GlobalImportance, RunInfo, Table,
};
use glassbox_glt::Model;

fn demo(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models").join(name)
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("glassbox-streamed-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Streams `request` into `path`, returning the run summary.
fn stream(model: &Model, table: &Table, request: &ExplainRequest, path: &Path, info: &RunInfo) -> Explained {
    let scratch = path.with_extension("scratch");
    let mut out = AttributionWriter::create(model, path, &scratch).unwrap();
    let run = explain_parts(model, table, request, &mut |part| out.write(&part.rows)).unwrap();
    out.finish(model, info, &run).unwrap();
    assert!(!scratch.exists(), "the scratch file is removed");
    run
}

#[test]
fn streamed_files_are_the_files_written_at_once() {
    let model = Model::load(&demo("railway-demo.glt")).unwrap();
    let table = Table::load(&model, &demo("railway-demo.csv"), &model.report.config.ids, &[]).unwrap();
    assert!(!table.data.ids.is_empty(), "the demo has id columns, so the id columns are covered");
    let labels = feature_labels(&model);
    let dir = scratch_dir("files");
    let rows: Vec<usize> = (0..table.rows()).rev().collect();
    for (part_rows, rows) in [(5, rows.clone()), (1, rows.clone()), (64, rows), (5, Vec::new())] {
        let mut request = ExplainRequest::new(rows, BaselineSpec::Mean, Default::default());
        (request.global, request.rows_per_part) = (true, part_rows);
        let info = RunInfo::new("railway-demo.glt", &request.ig);
        let whole = explain_table(&model, &table, &request, &mut |_, _| {}).unwrap();
        let what = format!("{} rows, {part_rows} per part", whole.rows.len());

        let run = stream(&model, &table, &request, &dir.join("a.json"), &info);
        assert_eq!(run.global, whole.global, "{what}: global importance");
        let json = serde_json::to_vec_pretty(&json_document(&model, &info, &whole)).unwrap();
        assert!(std::fs::read(dir.join("a.json")).unwrap() == json, "{what}: JSON bytes differ");

        stream(&model, &table, &request, &dir.join("a.csv"), &info);
        let csv = csv_bytes(&whole.rows, &labels).unwrap();
        assert_eq!(
            String::from_utf8(std::fs::read(dir.join("a.csv")).unwrap()).unwrap(),
            String::from_utf8(csv).unwrap()
        );

        stream(&model, &table, &request, &dir.join("a.parquet"), &info);
        std::fs::write(dir.join("b.parquet"), attributions_parquet(&whole.rows, &labels).unwrap()).unwrap();
        let (streamed, at_once) = (read_columnar(&dir.join("a.parquet")), read_columnar(&dir.join("b.parquet")));
        assert_eq!(streamed.unwrap(), at_once.unwrap(), "{what}: Parquet columns differ");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn global_importance_summed_row_by_row_is_its_definition() {
    let model = Model::load(&demo("railway-demo.glt")).unwrap();
    let table = Table::load(&model, &demo("railway-demo.csv"), &[], &[]).unwrap();
    let request = ExplainRequest::new((0..table.rows()).collect(), BaselineSpec::Zero, Default::default());
    let rows = explain_table(&model, &table, &request, &mut |_, _| {}).unwrap().rows;
    let mut sums = GlobalAccumulator::new(&model);
    rows.iter().for_each(|r| sums.add(r).unwrap());
    let g = sums.finish();
    assert_eq!(g, GlobalImportance::of(&model, &rows).unwrap());

    // The definitions, computed here from the rows.
    let n = rows.len() as f64;
    for (j, &m) in g.mean_abs.iter().enumerate() {
        let direct: f64 = rows.iter().map(|r| r.attributions[j].abs()).sum::<f64>() / n;
        assert!((m - direct).abs() <= 1e-12 * direct.abs().max(1e-300), "mean |IG| of cell {j}: {m} vs {direct}");
    }
    for (k, &m) in g.groups_mean_abs.iter().enumerate() {
        let members = &model.groups.members[k];
        let direct =
            rows.iter().map(|r| members.iter().map(|&f| r.attributions[f]).sum::<f64>().abs()).sum::<f64>() / n;
        assert!((m - direct).abs() <= 1e-12 * direct.abs().max(1e-12), "group {k}: {m} vs {direct}");
    }
    let counted: usize = g.rows_by_predicted_class.iter().sum();
    assert_eq!(counted, rows.len());

    // A row that does not fit the model is refused, not summed.
    let mut bad = rows[0].clone();
    bad.attributions.pop();
    assert!(GlobalAccumulator::new(&model).add(&bad).unwrap_err().to_string().contains("do not fit the model"));
}
