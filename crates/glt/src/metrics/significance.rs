//! Significance of a weighted signal over a weighted background.

/// Below this s/b the closed form loses digits to cancellation and the series
/// is used instead (its truncation error there is below 1e-20 relative).
const SERIES_BELOW: f64 = 1e-3;

/// g(x) = (1 + x)·ln(1 + x) − x for x ≥ 0, accurate for small x.
///
/// For x < 10⁻³ the Taylor series g(x) = Σ_{n≥2} (−1)ⁿ xⁿ / (n(n−1))
/// (terms to n = 8) replaces the closed form, whose subtraction of two
/// nearly equal numbers would lose about log₁₀(1/x) digits.
fn one_plus_x_log_one_plus_x_minus_x(x: f64) -> f64 {
    if x < SERIES_BELOW {
        let mut sum = 0.0;
        let mut power = x; // xⁿ⁻¹, advanced at the top of each iteration
        for n in 2..=8u32 {
            power *= x;
            let term = power / f64::from(n * (n - 1));
            sum += if n % 2 == 0 { term } else { -term };
        }
        sum
    } else {
        (1.0 + x) * x.ln_1p() - x
    }
}

/// Asimov significance of a signal `s` over a background `b` (both may be sums
/// of event weights):
///
/// Z = √( 2·( (s + b)·ln(1 + s/b) − s ) ),
///
/// evaluated as Z = √(2·b·g(s/b)) with g(x) = (1 + x)·ln(1 + x) − x, using a
/// series for small s/b so that the small-signal limit Z ≈ s/√b keeps full
/// precision.
///
/// Edge cases: `b == 0` gives `f64::INFINITY` if `s > 0` and 0 if `s == 0`;
/// `s == 0` gives 0. Negative or NaN inputs are outside the domain (s, b ≥ 0)
/// and give NaN; an infinite `s` with finite `b` gives `f64::INFINITY`, a
/// finite `s` with infinite `b` gives 0, and both infinite give NaN.
///
/// # Example
/// ```
/// use glassbox_glt::metrics::asimov_significance;
/// let z = asimov_significance(10.0, 100.0);
/// assert!((z - 0.98399).abs() < 1e-5);
/// // Small signal: Z ≈ s/√b, to relative order s/(6b).
/// assert!((asimov_significance(1e-6, 4.0) / 0.5e-6 - 1.0).abs() < 1e-7);
/// assert_eq!(asimov_significance(1.0, 0.0), f64::INFINITY);
/// ```
pub fn asimov_significance(s: f64, b: f64) -> f64 {
    if s.is_nan() || b.is_nan() || s < 0.0 || b < 0.0 {
        return f64::NAN;
    }
    if s == 0.0 {
        return 0.0;
    }
    if b == 0.0 {
        return f64::INFINITY;
    }
    if b.is_infinite() {
        // Any finite signal vanishes against an infinite background; ∞/∞ is undefined.
        return if s.is_infinite() { f64::NAN } else { 0.0 };
    }
    let x = s / b;
    if x.is_infinite() {
        return f64::INFINITY;
    }
    (2.0 * b * one_plus_x_log_one_plus_x_minus_x(x)).sqrt()
}

/// Weighted signal and background above a threshold, and their Asimov
/// significance.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Significance {
    /// s = Σ wᵢ over signal rows with score ≥ threshold.
    pub signal: f64,
    /// b = Σ wᵢ over background rows with score ≥ threshold.
    pub background: f64,
    /// Z = [`asimov_significance`]`(s, b)`.
    pub z: f64,
}

/// The significance of a selection `score >= threshold` (the rule of
/// [`confusion`](super::confusion)): s and b are the summed `weights` of the
/// selected signal (`positive`) and background rows, each weight multiplied
/// by `scale` (e.g. rows / test rows, so that the sums estimate the whole
/// sample's yields rather than the test split's share), and
/// Z = √(2·((s + b)·ln(1 + s/b) − s)).
///
/// # Panics
/// If the three slices differ in length (a programmer error).
///
/// # Example
/// ```
/// use glassbox_glt::metrics::weighted_significance;
/// // Selected: rows 0 (signal, w 4) and 2 (background, w 50) and 3 (background, w 50).
/// let sig = weighted_significance(&[0.9, 0.2, 0.7, 0.6], &[true, true, false, false], &[4.0, 6.0, 50.0, 50.0], 0.5, 2.5);
/// assert_eq!((sig.signal, sig.background), (10.0, 250.0));
/// assert!((sig.z - 0.628308).abs() < 1e-6);
/// ```
pub fn weighted_significance(
    scores: &[f64],
    positive: &[bool],
    weights: &[f64],
    threshold: f64,
    scale: f64,
) -> Significance {
    assert!(
        scores.len() == positive.len() && scores.len() == weights.len(),
        "weighted_significance: {} scores, {} labels, {} weights",
        scores.len(),
        positive.len(),
        weights.len()
    );
    let (mut s, mut b) = (0.0, 0.0);
    for ((&score, &p), &w) in scores.iter().zip(positive).zip(weights) {
        if score >= threshold {
            if p {
                s += w * scale;
            } else {
                b += w * scale;
            }
        }
    }
    Significance { signal: s, background: b, z: asimov_significance(s, b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_and_closed_form_agree_at_the_switch() {
        let x = SERIES_BELOW;
        let closed = (1.0 + x) * x.ln_1p() - x;
        let series = one_plus_x_log_one_plus_x_minus_x(x * (1.0 - 1e-12));
        assert!((closed / series - 1.0).abs() < 1e-9, "{closed} vs {series}");
    }
}
