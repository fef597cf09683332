//! Running class moments, for the measured separations in the truth files.
//!
//! For a feature with values split by label, the separation is the
//! standardized mean difference (Cohen's d with the pooled sd):
//! `d = |mean₁ − mean₀| / √((SS₁ + SS₀) / (n₁ + n₀ − 2))`,
//! `SS` the sum of squared deviations within a class.

/// Count, sum and sum of squares of one class's values.
#[derive(Debug, Clone, Copy, Default)]
pub struct Moments {
    pub n: f64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl Moments {
    pub fn add(&mut self, x: f64) {
        self.n += 1.0;
        self.sum += x;
        self.sum_sq += x * x;
    }

    pub fn mean(&self) -> f64 {
        self.sum / self.n.max(1.0)
    }

    /// Sum of squared deviations from the mean.
    fn ss(&self) -> f64 {
        (self.sum_sq - self.sum * self.sum / self.n.max(1.0)).max(0.0)
    }
}

/// The pooled sd of two classes.
pub fn pooled_sd(a: &Moments, b: &Moments) -> f64 {
    ((a.ss() + b.ss()) / (a.n + b.n - 2.0).max(1.0)).sqrt()
}

/// `|mean(a) − mean(b)| / pooled sd`, 0 when either class is empty or the sd is 0.
pub fn separation(a: &Moments, b: &Moments) -> f64 {
    let sd = pooled_sd(a, b);
    if a.n == 0.0 || b.n == 0.0 || sd == 0.0 {
        0.0
    } else {
        (a.mean() - b.mean()).abs() / sd
    }
}
