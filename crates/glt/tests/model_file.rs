//! Model files: save → load gives bitwise-equal predictions; corrupted,
//! truncated, wrong-magic, wrong-version and mismatched files are errors;
//! any single flipped byte is refused (version 2's checksum); version-1
//! files still load and are validated field by field; the same seed gives a
//! bitwise-identical file for 1 and 2 threads.

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
    for cut in [8, 9, 12, 100, bytes.len() / 2, bytes.len() - 1] {
        let e = load_err(&bytes[..cut]);
        assert!(e.starts_with("m.glt: ") && e.contains("truncated"), "cut {cut}: {e}");
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
    let e = load_err(&huge);
    assert!(e.contains("corrupted model file") && !e.contains("bincode") && !e.contains("Byte"), "{e}");
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

#[test]
fn two_hundred_random_single_byte_flips_are_all_refused() {
    use rand::{Rng, SeedableRng};
    let bytes = quick_model(3).to_bytes().unwrap();
    assert_eq!(bytes[4..8], 2u32.to_le_bytes(), "this build writes version 2");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(14);
    for _ in 0..200 {
        let (at, flip) = (rng.random_range(0..bytes.len()), rng.random_range(1..=255u8));
        let mut b = bytes.clone();
        b[at] ^= flip;
        let e = load_err(&b);
        assert!(e.starts_with("m.glt: "), "byte {at} ^ {flip}: {e}");
        if at >= 8 {
            assert!(e.contains("checksum") || e.contains("version"), "byte {at} ^ {flip}: {e}");
        }
    }
}

/// A version-1 file (no checksum) of `model`: what v1 builds wrote.
fn version_one(model: &Model) -> Vec<u8> {
    let v2 = model.to_bytes().unwrap();
    let mut v1 = MAGIC.to_vec();
    v1.extend(1u32.to_le_bytes());
    v1.extend(&v2[12..]);
    v1
}

#[test]
fn version_one_files_still_load_and_are_validated_field_by_field() {
    let model = quick_model(4);
    let loaded = Model::from_bytes(&version_one(&model), Path::new("v1.glt")).unwrap();
    assert_eq!(loaded.to_bytes().unwrap(), model.to_bytes().unwrap(), "a v1 file loads as the same model");

    let broken = |edit: &dyn Fn(&mut Model)| {
        let mut m = model.clone();
        edit(&mut m);
        let v1 = Model::from_bytes(&version_one(&m), Path::new("v1.glt")).map(|_| ()).unwrap_err().to_string();
        let v2 = load_err(&m.to_bytes().unwrap());
        assert!(v1.starts_with("v1.glt: ") && v2.starts_with("m.glt: "), "{v1} / {v2}");
        v1
    };
    for eps in [f64::NAN, -1e-5, 0.0, f64::INFINITY] {
        let e = broken(&|m| m.glt.config.layer_norm_eps = eps);
        assert!(e.contains("layer_norm_eps"), "eps {eps}: {e}");
    }
    let e = broken(&|m| m.glt.config.n_heads = 8);
    assert!(e.contains("different architecture"), "{e}");
    let e = broken(&|m| m.glt.config.n_heads = 5);
    assert!(e.contains("multiple of n_heads"), "{e}");
    let e = broken(&|m| *m.params[3].iter_mut().next().unwrap() = f32::NAN);
    assert!(e.contains("not finite"), "{e}");
    let e = broken(&|m| m.scaler.std[2] = 0.0);
    assert!(e.contains("spread"), "{e}");
    let e = broken(&|m| m.scaler.mean[0] = f64::INFINITY);
    assert!(e.contains("mean"), "{e}");
    let e = broken(&|m| m.groups.members[1] = vec![0]);
    assert!(e.contains("partition"), "{e}");
    let e = broken(&|m| m.groups.names.pop().map(|_| ()).unwrap());
    assert!(e.contains("group names"), "{e}");
}
