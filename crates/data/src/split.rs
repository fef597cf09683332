//! Train / validation / test splits (SPEC §3): stratified random by default, or by key
//! (`--split-by COL`) so that all rows of one key land in one split. Both are seeded with
//! `ChaCha8Rng`, so a seed gives the same split on every platform.

use std::collections::HashMap;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::error::DataError;

/// Row indices of the three splits, each sorted ascending.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Split {
    /// Rows to fit on.
    pub train: Vec<usize>,
    /// Rows for early stopping, the threshold and λ.
    pub validation: Vec<usize>,
    /// Held-out rows the reported metrics come from.
    pub test: Vec<usize>,
}

impl Split {
    /// `[train, validation, test]` row counts.
    ///
    /// ```
    /// use glassbox_data::Split;
    /// let s = Split { train: vec![0, 2, 3], validation: vec![1], test: vec![4] };
    /// assert_eq!(s.sizes(), [3, 1, 1]);
    /// ```
    pub fn sizes(&self) -> [usize; 3] {
        [self.train.len(), self.validation.len(), self.test.len()]
    }

    fn from_assignment(assign: &[usize]) -> Split {
        let pick = |s: usize| assign.iter().enumerate().filter(|(_, &a)| a == s).map(|(r, _)| r).collect();
        Split { train: pick(0), validation: pick(1), test: pick(2) }
    }
}

const NAMES: [&str; 3] = ["train", "validation", "test"];

/// Checks `(train, validation, test)` fractions: finite, non-negative, train > 0, sum 1.
fn check_fractions(f: (f64, f64, f64)) -> Result<[f64; 3], DataError> {
    let f = [f.0, f.1, f.2];
    if f.iter().any(|v| !v.is_finite() || *v < 0.0) || f[0] <= 0.0 {
        return Err(DataError::Split(format!(
            "fractions {f:?} must be finite and non-negative, with a positive train fraction"
        )));
    }
    let sum: f64 = f.iter().sum();
    if (sum - 1.0).abs() > 1e-6 {
        return Err(DataError::Split(format!("fractions {f:?} sum to {sum}, not 1")));
    }
    Ok(f)
}

/// Rows per split for a class of `n` rows: each split gets the floor of its exact share
/// `n·f`, and the rows left over go to the largest fractional parts (ties: train, then
/// validation, then test), so every count is within one row of its share. With `n ≥ 3`
/// every split with a positive fraction then gets at least one row, taken from the
/// largest split.
fn class_counts(n: usize, f: &[f64; 3]) -> [usize; 3] {
    let exact = f.map(|x| n as f64 * x);
    let mut counts = exact.map(|e| (e.floor() as usize).min(n));
    while counts.iter().sum::<usize>() > n {
        // Only reachable through rounding noise in fractions summing to 1 ± 1e-6.
        let k = (0..3).max_by_key(|&k| (counts[k], 3 - k)).unwrap_or(0);
        counts[k] -= 1;
    }
    let mut by_remainder = [0usize, 1, 2];
    by_remainder.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - counts[a] as f64, exact[b] - counts[b] as f64);
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let left = n - counts.iter().sum::<usize>();
    for &k in by_remainder.iter().cycle().take(left) {
        counts[k] += 1;
    }
    if n >= 3 {
        for k in 0..3 {
            if f[k] > 0.0 && counts[k] == 0 {
                let donor = (0..3).max_by_key(|&d| (counts[d], 3 - d)).unwrap_or(0);
                counts[donor] -= 1;
                counts[k] += 1;
            }
        }
    }
    counts
}

fn empty_split_error(split: &Split, f: &[f64; 3], what: &str) -> Result<(), DataError> {
    for (s, size) in split.sizes().into_iter().enumerate() {
        if size == 0 && f[s] > 0.0 {
            return Err(DataError::Split(format!("the {} split is empty: {what}", NAMES[s])));
        }
    }
    Ok(())
}

/// Stratified random split: within each class the rows are shuffled and cut so that each
/// split's share of the class is its fraction, rounded to whole rows by largest remainder
/// (within one row; ties favour train, then validation). Every class with at least 3 rows
/// has a row in each split whose fraction is positive (which can cost the largest split a
/// second row for tiny classes).
///
/// ```
/// use glassbox_data::stratified_split;
/// let labels: Vec<usize> = (0..100).map(|i| usize::from(i % 10 == 0)).collect();
/// let s = stratified_split(&labels, (0.7, 0.15, 0.15), 7)?;
/// assert_eq!(s.sizes().iter().sum::<usize>(), 100);
/// let positives = |rows: &[usize]| rows.iter().filter(|&&r| labels[r] == 1).count();
/// // 10 positives: 7 | 1.5 | 1.5, the half row going to validation.
/// assert_eq!([positives(&s.train), positives(&s.validation), positives(&s.test)], [7, 2, 1]);
/// assert_eq!(s, stratified_split(&labels, (0.7, 0.15, 0.15), 7)?);
/// # Ok::<(), glassbox_data::DataError>(())
/// ```
pub fn stratified_split(labels: &[usize], fractions: (f64, f64, f64), seed: u64) -> Result<Split, DataError> {
    let f = check_fractions(fractions)?;
    if labels.len() < 3 {
        return Err(DataError::Split(format!("{} rows are too few to split three ways", labels.len())));
    }
    let n_classes = labels.iter().max().map_or(0, |m| m + 1);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (r, &l) in labels.iter().enumerate() {
        by_class[l].push(r);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut assign = vec![0usize; labels.len()];
    for rows in &mut by_class {
        rows.shuffle(&mut rng);
        let [tr, va, _] = class_counts(rows.len(), &f);
        for (i, &r) in rows.iter().enumerate() {
            assign[r] = if i < tr {
                0
            } else if i < tr + va {
                1
            } else {
                2
            };
        }
    }
    let split = Split::from_assignment(&assign);
    empty_split_error(&split, &f, "every class has fewer than 3 rows")?;
    Ok(split)
}

/// Split by key: all rows with the same `keys[r]` go to the same split. Keys are shuffled,
/// stratified by whether they hold any positive (non-zero class) row, and assigned whole
/// so that each stratum's row count is divided by the fractions (a key goes to the split
/// its rows' midpoint falls in). A stratum of at least 3 keys has a key in each split, and
/// each split gets at least one key. Needs at least 3 distinct keys.
///
/// ```
/// use glassbox_data::grouped_split;
/// let keys: Vec<String> = (0..60).map(|i| format!("section{}", i / 3)).collect();
/// let labels: Vec<usize> = (0..60).map(|i| usize::from(i % 7 == 0)).collect();
/// let s = grouped_split(&labels, &keys, (0.7, 0.15, 0.15), 1)?;
/// let key_of = |rows: &[usize]| rows.iter().map(|&r| keys[r].clone()).collect::<std::collections::HashSet<_>>();
/// assert!(key_of(&s.train).is_disjoint(&key_of(&s.test)));
/// assert!(key_of(&s.train).is_disjoint(&key_of(&s.validation)));
/// # Ok::<(), glassbox_data::DataError>(())
/// ```
pub fn grouped_split(
    labels: &[usize],
    keys: &[String],
    fractions: (f64, f64, f64),
    seed: u64,
) -> Result<Split, DataError> {
    let f = check_fractions(fractions)?;
    if keys.len() != labels.len() {
        return Err(DataError::Split(format!("{} split keys for {} labels", keys.len(), labels.len())));
    }
    // Distinct keys in order of first appearance (so the result does not depend on hashing).
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut rows_of: Vec<Vec<usize>> = Vec::new();
    for (r, k) in keys.iter().enumerate() {
        let g = *index.entry(k.as_str()).or_insert_with(|| {
            rows_of.push(Vec::new());
            rows_of.len() - 1
        });
        rows_of[g].push(r);
    }
    let n_keys = rows_of.len();
    if n_keys < 3 {
        return Err(DataError::Split(format!(
            "only {n_keys} distinct value(s) in the split-by column; at least 3 are needed"
        )));
    }
    let size: Vec<usize> = rows_of.iter().map(Vec::len).collect();
    let positive: Vec<bool> = rows_of.iter().map(|rows| rows.iter().any(|&r| labels[r] != 0)).collect();

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n_keys).collect();
    order.shuffle(&mut rng);

    let mut key_split = vec![0usize; n_keys];
    for stratum in [true, false] {
        let members: Vec<usize> = order.iter().copied().filter(|&k| positive[k] == stratum).collect();
        let total: usize = members.iter().map(|&k| size[k]).sum();
        let cut1 = total as f64 * f[0];
        let cut2 = total as f64 * (f[0] + f[1]);
        let mut cum = 0usize;
        for &k in &members {
            let mid = cum as f64 + size[k] as f64 / 2.0;
            key_split[k] = if mid < cut1 {
                0
            } else if mid < cut2 {
                1
            } else {
                2
            };
            cum += size[k];
        }
        if members.len() >= 3 {
            fill_empty_splits(&mut key_split, &members, &size, &f);
        }
    }
    fill_empty_splits(&mut key_split, &order, &size, &f);

    let assign: Vec<usize> = keys.iter().map(|k| key_split[index[k.as_str()]]).collect();
    let split = Split::from_assignment(&assign);
    empty_split_error(&split, &f, "too few keys")?;
    Ok(split)
}

/// Gives every split with a positive fraction at least one of `members` (which must hold
/// at least 3 keys), moving the smallest key of the split holding the most keys.
fn fill_empty_splits(key_split: &mut [usize], members: &[usize], size: &[usize], f: &[f64; 3]) {
    for (target, &frac) in f.iter().enumerate() {
        if frac <= 0.0 || members.iter().any(|&k| key_split[k] == target) {
            continue;
        }
        let count = |s: usize| members.iter().filter(|&&k| key_split[k] == s).count();
        let donor = (0..3).filter(|&s| s != target).max_by_key(|&s| (count(s), usize::MAX - s)).unwrap_or(0);
        if count(donor) < 2 {
            continue;
        }
        // Smallest key of the donor; among equals the one shuffled last.
        if let Some(&k) = members.iter().rev().filter(|&&k| key_split[k] == donor).min_by_key(|&&k| size[k]) {
            key_split[k] = target;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_checked() {
        assert!(check_fractions((0.7, 0.15, 0.15)).is_ok());
        assert!(check_fractions((0.8, 0.2, 0.0)).is_ok());
        for bad in [(0.7, 0.2, 0.2), (0.0, 0.5, 0.5), (1.1, -0.1, 0.0), (f64::NAN, 0.5, 0.5)] {
            assert!(matches!(check_fractions(bad), Err(DataError::Split(_))), "{bad:?}");
        }
    }

    #[test]
    fn class_counts_round_and_keep_minimums() {
        let f = [0.7, 0.15, 0.15];
        assert_eq!(class_counts(100, &f), [70, 15, 15]);
        assert_eq!(class_counts(10, &f), [7, 2, 1]); // 1.5 and 1.5: the tie goes to validation
        assert_eq!(class_counts(3, &f), [1, 1, 1]);
        assert_eq!(class_counts(2, &f), [2, 0, 0]);
        assert_eq!(class_counts(1, &f), [1, 0, 0]);
        assert_eq!(class_counts(0, &f), [0, 0, 0]);
        assert_eq!(class_counts(4, &[0.1, 0.45, 0.45]), [1, 1, 2]);
        assert_eq!(class_counts(5, &[0.8, 0.2, 0.0]), [4, 1, 0]);
        assert_eq!(class_counts(3, &[0.5, 0.5, 0.0]), [2, 1, 0]);
    }

    #[test]
    fn donor_fix_fills_empty_split() {
        let mut ks = vec![0, 0, 0, 1];
        fill_empty_splits(&mut ks, &[0, 1, 2, 3], &[5, 1, 3, 2], &[0.7, 0.15, 0.15]);
        assert_eq!(ks, vec![0, 2, 0, 1]);
    }
}
