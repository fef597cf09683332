//! Model files: save → load gives bitwise-equal predictions; corrupted,
//! truncated, wrong-magic, wrong-version and mismatched files are errors;
//! the same seed gives a bitwise-identical file for 1 and 2 threads.

#[path = "common_synthetic.rs"]
mod synthetic;

use glassbox_glt::data::FeatureGroups;
use glassbox_glt::fit::FitOptions;
use glassbox_glt::model_file::MAGIC;
use glassbox_glt::train::{train, LambdaChoice};
use glassbox_glt::Model;
use std::path::{Path, PathBuf};

fn quick_model(seed: u64) -> Model {
    let data = synthetic::four_of_twenty(600, 3);
    let mut spec = synthetic::small_spec(LambdaChoice::Fixed(0.5), seed);
    spec.fit = FitOptions { epochs: 3, ..spec.fit };
    train(&data, FeatureGroups::singletons(&data.feature_names), &spec, &mut |_| {}).unwrap()
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("glassbox-test-{}-{name}", std::process::id()))
}

#[test]
fn save_then_load_predicts_bitwise_the_same() {
    let model = quick_model(1);
    let path = temp("roundtrip.glt");
    model.save(&path).unwrap();
    let loaded = Model::load(&path).unwrap();
    let x = synthetic::four_of_twenty(50, 9).x.into_dyn();
    let (a, b) = (model.probabilities(&x).unwrap(), loaded.probabilities(&x).unwrap());
    assert!(a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()));
    assert_eq!(loaded.report, model.report);
    assert_eq!(loaded.to_bytes().unwrap(), model.to_bytes().unwrap());
    std::fs::remove_file(path).unwrap();
}

fn load_err(bytes: &[u8]) -> String {
    Model::from_bytes(bytes, Path::new("m.glt")).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn bad_files_are_errors_never_panics() {
    let bytes = quick_model(2).to_bytes().unwrap();
    assert!(load_err(b"").contains("not a glassbox model file"));
    assert!(load_err(b"PK\x03\x04whatever").contains("not a glassbox model file"));
    let mut wrong_version = bytes.clone();
    wrong_version[4] = 99;
    assert!(load_err(&wrong_version).contains("version 99"), "{}", load_err(&wrong_version));
    for cut in [8, 9, 100, bytes.len() / 2, bytes.len() - 1] {
        let e = load_err(&bytes[..cut]);
        assert!(e.starts_with("m.glt: ") && e.contains("corrupted or truncated"), "cut {cut}: {e}");
    }
    // Flipping bytes anywhere gives an error or a model, never a panic.
    for i in (8..bytes.len()).step_by(bytes.len() / 97 + 1) {
        let mut b = bytes.clone();
        b[i] ^= 0xA5;
        let _ = Model::from_bytes(&b, Path::new("m.glt"));
    }
    // A huge length prefix is refused by the size limit, not allocated.
    let mut huge = MAGIC.to_vec();
    huge.extend(1u32.to_le_bytes());
    huge.extend([0xFF; 16]);
    assert!(load_err(&huge).contains("corrupted or truncated"));
    let missing = Model::load(Path::new("/nonexistent/model.glt")).unwrap_err().to_string();
    assert!(missing.starts_with("/nonexistent/model.glt: "), "{missing}");
}

#[test]
fn same_seed_gives_a_bitwise_identical_file_for_one_and_two_threads() {
    let bytes = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| quick_model(5).to_bytes().unwrap())
    };
    let (one, two) = (bytes(1), bytes(2));
    assert!(one == two, "model files differ between 1 and 2 threads");
    assert_ne!(one, quick_model(6).to_bytes().unwrap(), "a different seed must give a different model");
}
