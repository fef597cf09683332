//! Train / validation / test splits (SPEC §3): stratified proportions, determinism, and
//! grouped splits that never share a key between splits.

use std::collections::{HashMap, HashSet};

use glassbox_data::{grouped_split, stratified_split, DataError, Split};
use proptest::prelude::*;

const DEFAULT: (f64, f64, f64) = (0.7, 0.15, 0.15);

/// Every row exactly once, each split sorted ascending.
fn assert_partition(s: &Split, n: usize) {
    for part in [&s.train, &s.validation, &s.test] {
        assert!(part.windows(2).all(|w| w[0] < w[1]), "not sorted/unique: {part:?}");
    }
    let mut all: Vec<usize> = s.train.iter().chain(&s.validation).chain(&s.test).copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..n).collect::<Vec<_>>());
}

fn count_class(rows: &[usize], labels: &[usize], c: usize) -> usize {
    rows.iter().filter(|&&r| labels[r] == c).count()
}

#[test]
fn stratified_default_proportions_per_class() {
    // 1000 rows, 10% positives, classes interleaved.
    let labels: Vec<usize> = (0..1000).map(|i| usize::from(i % 10 == 3)).collect();
    let s = stratified_split(&labels, DEFAULT, 42).unwrap();
    assert_partition(&s, labels.len());
    assert_eq!(s.sizes(), [700, 150, 150]);
    for (rows, want) in [(&s.train, [630, 70]), (&s.validation, [135, 15]), (&s.test, [135, 15])] {
        assert_eq!([count_class(rows, &labels, 0), count_class(rows, &labels, 1)], want);
    }
}

#[test]
fn stratified_is_deterministic_and_seed_dependent() {
    let labels: Vec<usize> = (0..300).map(|i| i % 3).collect();
    let a = stratified_split(&labels, DEFAULT, 7).unwrap();
    let b = stratified_split(&labels, DEFAULT, 7).unwrap();
    let c = stratified_split(&labels, DEFAULT, 8).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.test, c.test);
    // The split is shuffled, not a cut of the file.
    assert_ne!(a.train, (0..a.train.len()).collect::<Vec<_>>());
}

#[test]
fn every_class_with_three_rows_reaches_every_split() {
    // Class 1 has exactly 3 rows, class 2 has 4, class 3 has 2 (too few: all to train).
    let mut labels = vec![0usize; 50];
    labels.extend([1, 1, 1, 2, 2, 2, 2, 3, 3]);
    let s = stratified_split(&labels, DEFAULT, 3).unwrap();
    assert_partition(&s, labels.len());
    for part in [&s.train, &s.validation, &s.test] {
        for c in 0..3 {
            assert!(count_class(part, &labels, c) >= 1, "class {c} missing from a split: {s:?}");
        }
    }
    assert_eq!(count_class(&s.train, &labels, 3), 2);
}

#[test]
fn stratified_errors() {
    let labels = vec![0usize, 1, 0, 1, 0, 1];
    for bad in [(0.7, 0.2, 0.2), (0.0, 0.5, 0.5), (0.9, 0.2, -0.1), (f64::INFINITY, 0.0, 0.0)] {
        let err = stratified_split(&labels, bad, 0).unwrap_err();
        assert!(matches!(err, DataError::Split(_)), "{bad:?}: {err:?}");
    }
    assert!(stratified_split(&labels, DEFAULT, 0).is_ok());
    let err = stratified_split(&[0, 1], DEFAULT, 0).unwrap_err().to_string();
    assert!(err.contains("2 rows"), "{err}");
    // Each class has only two rows: nothing can go to validation.
    let err = stratified_split(&[0, 0, 1, 1], DEFAULT, 0).unwrap_err().to_string();
    assert!(err.contains("validation split is empty"), "{err}");
    // A zero fraction is allowed and leaves its split empty; each class of 3 splits
    // 1.5 | 1.5, the tie going to train.
    let s = stratified_split(&labels, (0.5, 0.5, 0.0), 0).unwrap();
    assert_eq!(s.sizes(), [4, 2, 0]);
}

proptest! {
    #[test]
    fn stratified_counts_within_a_row(
        class_sizes in prop::collection::vec(0usize..120, 1..5),
        fv in 0.05f64..0.3,
        ft in 0.05f64..0.3,
        seed in any::<u64>(),
    ) {
        let f = [1.0 - fv - ft, fv, ft];
        let labels: Vec<usize> = class_sizes.iter().enumerate().flat_map(|(c, &n)| std::iter::repeat_n(c, n)).collect();
        prop_assume!(class_sizes.iter().any(|&n| n >= 3));
        let s = stratified_split(&labels, (f[0], f[1], f[2]), seed).unwrap();
        assert_partition(&s, labels.len());
        for (c, &n) in class_sizes.iter().enumerate() {
            let got = [&s.train, &s.validation, &s.test].map(|p| count_class(p, &labels, c));
            let exact = f.map(|x| x * n as f64);
            // Largest-remainder rounding keeps every split within one row of its share;
            // raising a split to its minimum of one row costs the largest split one more.
            let raised = n >= 3 && exact.iter().any(|&e| e < 1.0);
            let tol = if raised { 2.0 } else { 1.0 };
            for k in 0..3 {
                prop_assert!((got[k] as f64 - exact[k]).abs() < tol, "class {} n {} got {:?} exact {:?}", c, n, got, exact);
            }
            if n >= 3 {
                prop_assert!(got.iter().all(|&g| g >= 1), "class {} n {} got {:?}", c, n, got);
            }
        }
    }

    #[test]
    fn grouped_never_shares_a_key(
        rows in prop::collection::vec((0usize..12, 0usize..3), 3..150),
        seed in any::<u64>(),
    ) {
        let keys: Vec<String> = rows.iter().map(|(k, _)| format!("S{k:02}")).collect();
        let labels: Vec<usize> = rows.iter().map(|&(_, l)| l).collect();
        let n_keys = keys.iter().collect::<HashSet<_>>().len();
        match grouped_split(&labels, &keys, DEFAULT, seed) {
            Err(e) => {
                prop_assert!(n_keys < 3, "unexpected error with {} keys: {}", n_keys, e);
                prop_assert!(e.to_string().contains("at least 3"), "{}", e);
            }
            Ok(s) => {
                prop_assert!(n_keys >= 3);
                assert_partition(&s, keys.len());
                let mut split_of: HashMap<&str, usize> = HashMap::new();
                for (i, part) in [&s.train, &s.validation, &s.test].into_iter().enumerate() {
                    prop_assert!(!part.is_empty(), "split {} empty: {:?}", i, s.sizes());
                    for &r in part {
                        let prev = *split_of.entry(keys[r].as_str()).or_insert(i);
                        prop_assert_eq!(prev, i, "key {} in splits {} and {}", &keys[r], prev, i);
                    }
                }
                // With at least 3 keys holding positives, every split holds one of them.
                let positive_keys: HashSet<&str> =
                    keys.iter().zip(&labels).filter(|(_, &l)| l != 0).map(|(k, _)| k.as_str()).collect();
                if positive_keys.len() >= 3 {
                    for part in [&s.train, &s.validation, &s.test] {
                        prop_assert!(part.iter().any(|&r| positive_keys.contains(keys[r].as_str())));
                    }
                }
            }
        }
    }
}

#[test]
fn grouped_row_fractions_and_determinism() {
    // 100 sections of 10 rows; every 5th section has a fracture somewhere.
    let keys: Vec<String> = (0..1000).map(|i| format!("section{}", i / 10)).collect();
    let labels: Vec<usize> = (0..1000).map(|i| usize::from(i % 50 == 7)).collect();
    let s = grouped_split(&labels, &keys, DEFAULT, 11).unwrap();
    assert_partition(&s, 1000);
    let [tr, va, te] = s.sizes();
    // Whole keys of 10 rows, two strata: within two keys of the target.
    assert!(tr.abs_diff(700) <= 20 && va.abs_diff(150) <= 20 && te.abs_diff(150) <= 20, "{:?}", s.sizes());
    for part in [&s.train, &s.validation, &s.test] {
        assert!(part.iter().any(|&r| labels[r] == 1), "a split has no positive row");
    }
    assert_eq!(s, grouped_split(&labels, &keys, DEFAULT, 11).unwrap());
    assert_ne!(s, grouped_split(&labels, &keys, DEFAULT, 12).unwrap());
}

#[test]
fn grouped_errors() {
    let labels = vec![0usize, 1, 0, 1];
    let two: Vec<String> = ["a", "b", "a", "b"].map(String::from).to_vec();
    let err = grouped_split(&labels, &two, DEFAULT, 0).unwrap_err().to_string();
    assert!(err.contains("only 2 distinct") && err.contains("at least 3"), "{err}");
    let err = grouped_split(&labels, &two[..3], DEFAULT, 0).unwrap_err().to_string();
    assert!(err.contains("3 split keys for 4 labels"), "{err}");
    let three: Vec<String> = ["a", "b", "c", "a"].map(String::from).to_vec();
    assert!(grouped_split(&labels, &three, (0.5, 0.5, 0.5), 0).is_err());
    let s = grouped_split(&labels, &three, DEFAULT, 0).unwrap();
    assert_eq!(s.sizes().iter().filter(|&&n| n > 0).count(), 3);
}
