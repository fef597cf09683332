//! Sequence windows (SPEC §3): per key, ordered, ending at the row, padded with `fill`.

use glassbox_data::{sequence_windows, DataError};
use ndarray::{array, s, Array2};
use proptest::prelude::*;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn two_keys_out_of_order_dates_short_history() {
    // Rows in file order; dates out of order within each key, keys interleaved.
    let x = array![
        [3.0, 30.0],     // 0: A 2024-03-01
        [100.0, 1000.0], // 1: B 2024-01-15
        [1.0, 10.0],     // 2: A 2024-01-01
        [2.0, 20.0],     // 3: A 2024-02-01
        [99.0, 990.0],   // 4: B 2024-01-01
        [4.0, 40.0],     // 5: A 2024-04-01
    ];
    let keys = strings(&["A", "B", "A", "A", "B", "A"]);
    let dates = strings(&["2024-03-01", "2024-01-15", "2024-01-01", "2024-02-01", "2024-01-01", "2024-04-01"]);
    let fill = [-1.0, -10.0];
    let w = sequence_windows(x.view(), &keys, &dates, 3, &fill).unwrap();
    assert_eq!(w.dim(), (6, 3, 2));
    let pad = [-1.0, -10.0];
    let expect: [[[f64; 2]; 3]; 6] = [
        [[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]],
        [pad, [99.0, 990.0], [100.0, 1000.0]],
        [pad, pad, [1.0, 10.0]],
        [pad, [1.0, 10.0], [2.0, 20.0]],
        [pad, pad, [99.0, 990.0]],
        [[2.0, 20.0], [3.0, 30.0], [4.0, 40.0]],
    ];
    for (r, rows) in expect.iter().enumerate() {
        for (t, vals) in rows.iter().enumerate() {
            assert_eq!(w.slice(s![r, t, ..]).to_vec(), vals.to_vec(), "row {r}, step {t}");
        }
    }
    // The last step of every window is the row itself (whose label the window keeps).
    for r in 0..6 {
        assert_eq!(w.slice(s![r, 2, ..]), x.row(r));
    }
    // Window 1 is the data itself.
    let w1 = sequence_windows(x.view(), &keys, &dates, 1, &fill).unwrap();
    assert_eq!(w1.index_axis(ndarray::Axis(1), 0), x);
}

#[test]
fn window_zero_and_mismatched_lengths_are_errors() {
    let x = array![[1.0]];
    let k = strings(&["a"]);
    let err = sequence_windows(x.view(), &k, &k, 0, &[0.0]).unwrap_err();
    assert!(matches!(err, DataError::Window(_)));
    assert!(err.to_string().contains("at least 1"), "{err}");
    assert!(sequence_windows(x.view(), &k, &k, 1, &[]).is_err());
    assert!(sequence_windows(x.view(), &[], &k, 1, &[0.0]).is_err());
}

/// Straightforward O(rows²) reference: for each row, the same-key rows not after it in
/// (order, file position), the last `window` of them, padded in front.
fn reference(x: &Array2<f64>, keys: &[String], order: &[String], window: usize, fill: &[f64]) -> Vec<Vec<Vec<f64>>> {
    let numeric = order.iter().all(|o| o.parse::<f64>().is_ok_and(|v| !v.is_nan()));
    let cmp = |a: usize, b: usize| {
        let by_order = if numeric {
            order[a].parse::<f64>().unwrap().total_cmp(&order[b].parse::<f64>().unwrap())
        } else {
            order[a].cmp(&order[b])
        };
        by_order.then(a.cmp(&b))
    };
    (0..x.nrows())
        .map(|r| {
            let mut hist: Vec<usize> = (0..x.nrows()).filter(|&j| keys[j] == keys[r] && cmp(j, r).is_le()).collect();
            hist.sort_by(|&a, &b| cmp(a, b));
            let tail = &hist[hist.len().saturating_sub(window)..];
            let mut out = vec![fill.to_vec(); window - tail.len()];
            out.extend(tail.iter().map(|&j| x.row(j).to_vec()));
            out
        })
        .collect()
}

proptest! {
    #[test]
    fn matches_reference(
        rows in prop::collection::vec((0usize..3, 0u32..12), 1..40),
        text_order in any::<bool>(),
        window in 1usize..6,
        n_feat in 1usize..4,
    ) {
        let keys: Vec<String> = rows.iter().map(|(k, _)| format!("key{k}")).collect();
        // Numeric order values "0".."11" ("10" < "9" as text) or text ones that force string order.
        let order: Vec<String> =
            rows.iter().map(|(_, o)| if text_order { format!("d{o}") } else { o.to_string() }).collect();
        let x = Array2::from_shape_fn((rows.len(), n_feat), |(r, f)| (r * 10 + f) as f64);
        let fill: Vec<f64> = (0..n_feat).map(|f| -1.0 - f as f64).collect();
        let got = sequence_windows(x.view(), &keys, &order, window, &fill).unwrap();
        let want = reference(&x, &keys, &order, window, &fill);
        for (r, rw) in want.iter().enumerate() {
            for (t, vals) in rw.iter().enumerate() {
                prop_assert_eq!(got.slice(s![r, t, ..]).to_vec(), vals.clone(), "row {} step {}", r, t);
            }
        }
    }
}
