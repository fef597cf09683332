//! Sequence windows (SPEC §3, sequence mode): each row becomes the last `T` records of its
//! key (e.g. a track section), oldest first, ending at the row itself; the row's label
//! stays the label of the window's last record.

use std::collections::HashMap;

use ndarray::{s, Array3, ArrayView2};

use super::error::DataError;
use super::labels::as_number;

/// Builds `x3[r, t, f]`: the `window` records of row `r`'s key ending at row `r`, oldest
/// first. Records of one key are ordered by `order`: numerically if every value in
/// `order` parses as a number, otherwise as strings (which sorts ISO dates); ties keep
/// file order. When a key has fewer than `window` records up to row `r`, the first slots
/// hold `fill[f]` (the training mean, so the scaler maps them to 0). Missing values (NaN)
/// in `x` are kept as they are.
///
/// Runs in O(rows · window · F) plus one sort per key. Errors: `window` is 0, lengths of
/// `keys`/`order`/`fill` disagree with `x`, or an `order` value is empty.
///
/// ```
/// use glassbox_data::sequence_windows;
/// use ndarray::array;
/// let x = array![[1.0], [2.0], [3.0]];
/// let keys = ["A", "A", "A"].map(String::from);
/// let order = ["2024-03-01", "2024-01-01", "2024-02-01"].map(String::from);
/// let w = sequence_windows(x.view(), &keys, &order, 2, &[0.5])?;
/// // Row 1 is the oldest record: its window is [fill, itself].
/// assert_eq!(w.slice(ndarray::s![1, .., 0]).to_vec(), [0.5, 2.0]);
/// // Row 0 is the newest: [row 2, row 0].
/// assert_eq!(w.slice(ndarray::s![0, .., 0]).to_vec(), [3.0, 1.0]);
/// # Ok::<(), glassbox_data::DataError>(())
/// ```
pub fn sequence_windows(
    x: ArrayView2<f64>,
    keys: &[String],
    order: &[String],
    window: usize,
    fill: &[f64],
) -> Result<Array3<f64>, DataError> {
    let (rows, n_feat) = x.dim();
    let bad = |m: String| Err(DataError::Window(m));
    if window == 0 {
        return bad("the window length must be at least 1".into());
    }
    if keys.len() != rows {
        return bad(format!("{} sequence keys for {rows} rows", keys.len()));
    }
    if order.len() != rows {
        return bad(format!("{} order values for {rows} rows", order.len()));
    }
    if fill.len() != n_feat {
        return bad(format!("{} fill values for {n_feat} features", fill.len()));
    }
    if let Some(r) = order.iter().position(|o| o.trim().is_empty()) {
        return bad(format!("row {r} has an empty order value"));
    }
    let numeric: Option<Vec<f64>> = order.iter().map(|o| as_number(o)).collect();

    // Rows of each key in file order, keys in order of first appearance.
    let mut key_index: HashMap<&str, usize> = HashMap::new();
    let mut by_key: Vec<Vec<usize>> = Vec::new();
    for (r, k) in keys.iter().enumerate() {
        let g = *key_index.entry(k.as_str()).or_insert_with(|| {
            by_key.push(Vec::new());
            by_key.len() - 1
        });
        by_key[g].push(r);
    }

    let mut out = Array3::<f64>::zeros((rows, window, n_feat));
    for members in &mut by_key {
        // Stable sorts keep file order among equal order values.
        match &numeric {
            Some(v) => members.sort_by(|&a, &b| v[a].total_cmp(&v[b])),
            None => members.sort_by(|&a, &b| order[a].cmp(&order[b])),
        }
        for (pos, &r) in members.iter().enumerate() {
            let have = (pos + 1).min(window);
            let pad = window - have;
            let mut dst = out.slice_mut(s![r, .., ..]);
            for t in 0..pad {
                dst.row_mut(t).iter_mut().zip(fill).for_each(|(d, &f)| *d = f);
            }
            for (t, &src) in members[pos + 1 - have..=pos].iter().enumerate() {
                dst.row_mut(pad + t).assign(&x.row(src));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn argument_errors() {
        let x = array![[1.0, 2.0], [3.0, 4.0]];
        let k = strings(&["a", "a"]);
        let o = strings(&["1", "2"]);
        let e = |r: Result<Array3<f64>, DataError>| r.unwrap_err().to_string();
        assert!(e(sequence_windows(x.view(), &k, &o, 0, &[0.0, 0.0])).contains("at least 1"));
        assert!(e(sequence_windows(x.view(), &k[..1], &o, 1, &[0.0, 0.0])).contains("1 sequence keys for 2 rows"));
        assert!(e(sequence_windows(x.view(), &k, &o[..1], 1, &[0.0, 0.0])).contains("1 order values"));
        assert!(e(sequence_windows(x.view(), &k, &o, 1, &[0.0])).contains("1 fill values for 2 features"));
        let o2 = strings(&["1", " "]);
        assert!(e(sequence_windows(x.view(), &k, &o2, 1, &[0.0, 0.0])).contains("row 1"));
    }

    #[test]
    fn numeric_order_is_not_string_order() {
        // As strings "10" < "9"; as numbers 9 < 10.
        let x = array![[10.0], [9.0]];
        let w = sequence_windows(x.view(), &strings(&["k", "k"]), &strings(&["10", "9"]), 2, &[-1.0]).unwrap();
        assert_eq!(w.slice(s![0, .., 0]).to_vec(), [9.0, 10.0]);
        assert_eq!(w.slice(s![1, .., 0]).to_vec(), [-1.0, 9.0]);
    }

    #[test]
    fn ties_keep_file_order_and_nan_is_kept() {
        let x = array![[1.0], [f64::NAN], [3.0]];
        let w = sequence_windows(x.view(), &strings(&["k", "k", "k"]), &strings(&["5", "5", "5"]), 3, &[0.0]).unwrap();
        let last = w.slice(s![2, .., 0]).to_vec();
        assert_eq!(last[0], 1.0);
        assert!(last[1].is_nan());
        assert_eq!(last[2], 3.0);
    }
}
