//! CSV reading speed against a well-tuned reference, in the same run
//! (issue 16): one numeric table of 10,000 rows × 30 feature columns and a
//! 0/1 label column (about 2.6 MB, cells like `-1.234567`, some empty),
//! read from memory by
//!
//! - `csv_10k/glassbox`: [`load_csv_from_reader`], label and features given
//!   (roles, trimming, pandas' missing-value tokens, labels to classes);
//! - `csv_10k/reference`: the `csv` crate's own `ByteRecord` loop, one
//!   reused record, each cell checked as UTF-8 and parsed with
//!   `str::parse::<f64>` into one `Vec<f64>` (empty → NaN), no checks.
//!
//! Both report throughput in bytes; the ratio of their times is the
//! loader's overhead (see crates/data/README.md for the figures).
//!
//! Run: `cargo bench -p glassbox-data --bench csv`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use glassbox_data::{load_csv_from_reader, LoadOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ROWS: usize = 10_000;
const FEATURES: usize = 30;

/// The table's bytes: header `f0,…,f29,label`, 1 % of cells empty.
fn table() -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let mut s = (0..FEATURES).map(|j| format!("f{j}")).collect::<Vec<_>>().join(",");
    s.push_str(",label\n");
    for _ in 0..ROWS {
        for _ in 0..FEATURES {
            if rng.random_range(0..100) > 0 {
                s.push_str(&format!("{:.6}", rng.random_range(-5.0..5.0f64)));
            }
            s.push(',');
        }
        s.push_str(if rng.random_bool(0.3) { "1\n" } else { "0\n" });
    }
    s.into_bytes()
}

/// The reference: the fastest plain loop over the csv crate.
fn reference(bytes: &[u8]) -> Vec<f64> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut values = Vec::with_capacity(ROWS * (FEATURES + 1));
    while rdr.read_byte_record(&mut record).expect("valid CSV") {
        for field in record.iter() {
            let text = std::str::from_utf8(field).expect("UTF-8");
            values.push(if text.is_empty() { f64::NAN } else { text.parse().expect("a number") });
        }
    }
    values
}

fn bench(c: &mut Criterion) {
    let bytes = table();
    let opts = LoadOptions {
        label: Some("label".into()),
        features: vec!["f*".into()],
        class_names: Some(vec!["0".into(), "1".into()]),
        ..LoadOptions::default()
    };
    // Both read the same numbers.
    let data = load_csv_from_reader(&bytes[..], "bench.csv".as_ref(), &opts).expect("loads");
    let plain = reference(&bytes);
    assert_eq!(data.x[[ROWS - 1, 3]].to_bits(), plain[(ROWS - 1) * (FEATURES + 1) + 3].to_bits());

    let mut group = c.benchmark_group("csv_10k");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("glassbox", |b| {
        b.iter(|| load_csv_from_reader(black_box(&bytes[..]), "bench.csv".as_ref(), &opts).expect("loads"))
    });
    group.bench_function("reference", |b| b.iter(|| reference(black_box(&bytes[..]))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
