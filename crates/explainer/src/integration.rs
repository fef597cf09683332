//! How the path integral is computed, by name: the settings the `explain`
//! tool's flags and the Python keywords give (`method`, `steps`,
//! `tolerance`, `max_evaluations`, `output`, `precision`), turned into one
//! [`IgConfig`] in one place, and the rows that did not converge.
//!
//! **Default: adaptive.** `method = "adaptive"` runs glassbox-ig's
//! adaptive engine (G7/K15 panels placed where the path's integrand
//! changes): per row it refines until
//! `|δ| ≤ τ = max(rel·|ΔF|, abs)`, `δ = Σ_i IG_i − (F(x) − F(x'))`,
//! `ΔF = F(x) − F(x')` (defaults `rel = 1e-3`, `abs = 1e-6`), under a cap of
//! `max_evaluations` gradient evaluations per (row, baseline) path
//! (default 2 000). A fixed n cannot promise that: on a saturated model the
//! output jumps within `Δα ≈ 0.007` of the path, narrower than the spacing
//! of 50 nodes. The five fixed rules stay selectable (`gausslegendre` with
//! `steps = 50` gives Captum's numbers), and a fixed rule with a
//! `tolerance` is doubling mode: per row, `n` doubles from `steps` until
//! `|δ|/|ΔF| < rel`, up to `max_steps` (default 1 600).
//!
//! **Precision** (`auto` by default): f64 for the adaptive engine, f32 for
//! the fixed rules (the model's own precision, and the bits of earlier
//! versions). f32 gradients of a saturated GLT carry rounding errors
//! (relative ~1e-4) that the refinement cannot get under `abs = 1e-6`: on
//! the saturated test model of `benches/` f32 left 800 of 2 000 rows
//! unconverged at the cap (mean 845 gradient evaluations per row) where
//! f64 converged on all of them with 216. `f32` or `f64` forces either.

use glassbox_ig::kronrod::NODES;
use glassbox_ig::{AdaptiveSpec, Convergence, IgConfig, Method, Output, Precision, Tolerance};

use crate::error::ExplainError;
use crate::rows::RowResult;

/// The method names, the default first.
pub const METHODS: [&str; 6] =
    ["adaptive", "gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid"];

/// Steps of a fixed rule by default (SPEC §4; with `gausslegendre`, Captum's default).
pub const DEFAULT_STEPS: usize = 50;

/// The largest step count doubling mode tries by default.
pub const DEFAULT_MAX_STEPS: usize = 1600;

/// Integration settings by name. `Default`: adaptive, rel 1e-3, abs 1e-6,
/// 2 000 gradient evaluations per path, probability, precision `auto`
/// (f64 for adaptive, f32 for a fixed rule).
///
/// ```
/// use glassbox_explainer::Integration;
/// let cfg = Integration::default().ig_config()?;
/// let spec = cfg.adaptive.expect("adaptive by default");
/// assert_eq!(cfg.precision, glassbox_ig::Precision::F64);
/// assert_eq!((spec.convergence.rel, spec.convergence.abs, spec.max_evaluations), (1e-3, 1e-6, 2000));
/// let captum = Integration { method: "gausslegendre".into(), ..Integration::default() }.ig_config()?;
/// assert!(captum.adaptive.is_none() && captum.steps == 50 && captum.tolerance.is_none());
/// assert_eq!(captum.precision, glassbox_ig::Precision::F32);
/// # Ok::<(), glassbox_explainer::ExplainError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Integration {
    /// `adaptive` or a fixed rule (see [`METHODS`]).
    pub method: String,
    /// Steps `n` of a fixed rule (the first `n` in doubling mode).
    pub steps: usize,
    /// `(rel, abs)`: adaptive: the criterion (abs default 1e-6); fixed:
    /// doubling mode to `|δ|/|ΔF| < rel` (no abs).
    pub tolerance: Option<(f64, Option<f64>)>,
    /// Adaptive only: gradient evaluations allowed per path (default 2 000).
    pub max_evaluations: Option<usize>,
    /// Doubling mode's step cap.
    pub max_steps: usize,
    /// `probability` or `logit`.
    pub output: String,
    /// `auto` (f64 for adaptive, f32 for a fixed rule), `f32` or `f64`.
    pub precision: String,
}

impl Default for Integration {
    fn default() -> Self {
        Integration {
            method: METHODS[0].into(),
            steps: DEFAULT_STEPS,
            tolerance: None,
            max_evaluations: None,
            max_steps: DEFAULT_MAX_STEPS,
            output: "probability".into(),
            precision: "auto".into(),
        }
    }
}

/// The most steps of a fixed rule (and of doubling mode's cap): a path of
/// `n` steps is walked in blocks that fit the memory budget, so this bounds
/// time (Gauss–Legendre's nodes cost `O(n²)`), not memory.
pub const MAX_STEPS: usize = 100_000;
/// The most gradient evaluations of the adaptive engine per path.
pub const MAX_EVALUATIONS: usize = 1_000_000;

fn setting<T>(setting: &'static str, message: String) -> Result<T, ExplainError> {
    Err(ExplainError::Setting { setting, message })
}

impl Integration {
    /// The [`IgConfig`] these settings ask for (target class 1, default
    /// memory budget). Errors name the setting ([`ExplainError::Setting`]).
    pub fn ig_config(&self) -> Result<IgConfig, ExplainError> {
        let output: Output = match self.output.parse() {
            Ok(o) => o,
            Err(_) => return setting("output", format!("'{}' must be probability or logit", self.output)),
        };
        let adaptive = self.method == METHODS[0];
        let precision = match self.precision.as_str() {
            "auto" if adaptive => Precision::F64,
            "auto" | "f32" => Precision::F32,
            "f64" => Precision::F64,
            p => return setting("precision", format!("'{p}' must be auto, f32 or f64")),
        };
        if let Some((rel, abs)) = self.tolerance {
            if !(rel > 0.0 && rel.is_finite()) {
                return setting("tolerance", format!("{rel}: the relative tolerance must be a finite number > 0"));
            }
            if let Some(a) = abs.filter(|a| !(*a >= 0.0 && a.is_finite())) {
                return setting("tolerance", format!("{rel},{a}: the absolute tolerance must be a finite number ≥ 0"));
            }
        }
        let cfg = IgConfig { output, precision, ..IgConfig::default() };
        if adaptive {
            let mut spec = AdaptiveSpec::default();
            if let Some((rel, abs)) = self.tolerance {
                spec.convergence = Convergence { rel, abs: abs.unwrap_or(spec.convergence.abs) };
            }
            if let Some(m) = self.max_evaluations {
                if m > MAX_EVALUATIONS {
                    return setting(
                        "max_evaluations",
                        format!("{m} is above the cap of {MAX_EVALUATIONS}; use at most {MAX_EVALUATIONS}"),
                    );
                }
                if m < NODES {
                    return setting(
                        "max_evaluations",
                        format!("{m} is below one panel ({NODES} gradient evaluations)"),
                    );
                }
                spec.max_evaluations = m;
            }
            return Ok(IgConfig { adaptive: Some(spec), ..cfg });
        }
        let method: Method = match self.method.parse() {
            Ok(m) => m,
            Err(_) => return setting("method", format!("'{}' must be one of {}", self.method, METHODS.join(", "))),
        };
        if self.steps < method.min_steps() {
            return setting("steps", format!("{}: {method} needs at least {}", self.steps, method.min_steps()));
        }
        for (name, n) in [("steps", self.steps), ("max_steps", self.max_steps)] {
            if n > MAX_STEPS {
                return setting(
                    name,
                    format!("{n} is above the cap of {MAX_STEPS}; use at most {MAX_STEPS} (or the adaptive method)"),
                );
            }
        }
        if self.max_evaluations.is_some() {
            return setting("max_evaluations", format!("applies to method adaptive, not {method}"));
        }
        let tolerance = match self.tolerance {
            Some((_, Some(_))) => {
                return setting("tolerance", format!("REL,ABS applies to method adaptive; {method} doubles n to REL"))
            }
            Some((rel, None)) => Some(Tolerance { rel, max_steps: self.max_steps.max(self.steps) }),
            None => None,
        };
        Ok(IgConfig { method, steps: self.steps, tolerance, adaptive: None, ..cfg })
    }
}

/// [`Integration::ig_config`] from its parts (doubling mode capped at
/// [`DEFAULT_MAX_STEPS`]): what the Python bindings call.
///
/// ```
/// let cfg = glassbox_explainer::ig_config("adaptive", 50, Some((1e-4, None)), Some(500), "logit", "f64")?;
/// assert_eq!(cfg.adaptive.map(|s| (s.convergence.rel, s.convergence.abs, s.max_evaluations)), Some((1e-4, 1e-6, 500)));
/// let doubling = glassbox_explainer::ig_config("gausslegendre", 50, Some((1e-3, None)), None, "probability", "f32")?;
/// assert_eq!(doubling.tolerance.map(|t| t.max_steps), Some(1600));
/// let e = glassbox_explainer::ig_config("simpson", 50, None, None, "probability", "f32").unwrap_err();
/// assert!(e.to_string().starts_with("method 'simpson'"));
/// # Ok::<(), glassbox_explainer::ExplainError>(())
/// ```
pub fn ig_config(
    method: &str,
    steps: usize,
    tolerance: Option<(f64, Option<f64>)>,
    max_evaluations: Option<usize>,
    output: &str,
    precision: &str,
) -> Result<IgConfig, ExplainError> {
    Integration {
        method: method.into(),
        steps,
        tolerance,
        max_evaluations,
        max_steps: DEFAULT_MAX_STEPS,
        output: output.into(),
        precision: precision.into(),
    }
    .ig_config()
}

/// `REL[,ABS]` as text (`1e-3`, `1e-3,1e-6`) → `(rel, abs)`; the values
/// are checked by [`Integration::ig_config`].
///
/// ```
/// use glassbox_explainer::parse_tolerance;
/// assert_eq!(parse_tolerance("1e-3").unwrap(), (1e-3, None));
/// assert_eq!(parse_tolerance("1e-3, 1e-8").unwrap(), (1e-3, Some(1e-8)));
/// assert!(parse_tolerance("1e-3,x").unwrap_err().to_string().contains("'x'"));
/// ```
pub fn parse_tolerance(text: &str) -> Result<(f64, Option<f64>), ExplainError> {
    let number = |s: &str| match s.trim().parse::<f64>() {
        Ok(v) => Ok(v),
        Err(_) => setting("tolerance", format!("'{}' in '{text}' is not a number (REL or REL,ABS)", s.trim())),
    };
    match text.split(',').collect::<Vec<_>>()[..] {
        [rel] => Ok((number(rel)?, None)),
        [rel, abs] => Ok((number(rel)?, Some(number(abs)?))),
        _ => setting("tolerance", format!("'{text}' must be REL or REL,ABS")),
    }
}

/// The name of the integration a config runs (`adaptive` or the rule's).
pub fn method_name(cfg: &IgConfig) -> &'static str {
    match cfg.adaptive {
        Some(_) => METHODS[0],
        None => cfg.method.name(),
    }
}

/// The rows that did not meet the tolerance.
#[derive(Clone, Debug, PartialEq)]
pub struct NotConverged {
    /// Their row numbers, in result order.
    pub rows: Vec<usize>,
    /// Rows in all.
    pub of: usize,
    /// The largest `|δ|/|ΔF|` among them (may be ∞ when `ΔF = 0`).
    pub worst_relative_delta: f64,
}

/// `None` when every row converged.
///
/// ```
/// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
/// let x = ndarray::Array2::<f64>::zeros((1, model.feature_names.len())).into_dyn();
/// let cfg = glassbox_explainer::Integration::default().ig_config()?;
/// let rows = glassbox_explainer::explain_array(&model, &x, &glassbox_ig::Baseline::Zero, &cfg)?;
/// assert_eq!(glassbox_explainer::not_converged(&rows), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn not_converged(rows: &[RowResult]) -> Option<NotConverged> {
    let mut tally = ConvergenceTally::default();
    tally.add(rows);
    tally.finish()
}

/// [`not_converged`] counted part by part (rows that are not kept).
#[derive(Clone, Debug, Default)]
pub struct ConvergenceTally {
    missed: Vec<usize>,
    of: usize,
    worst: f64,
    per_row: usize,
}

impl ConvergenceTally {
    /// A tally of results that come `classes` per row (`--target all`):
    /// a row is missed when any of its classes is, and counted once.
    pub fn per_row(classes: usize) -> Self {
        ConvergenceTally { per_row: classes, ..Default::default() }
    }

    /// Counts the next rows (whole rows: all their classes).
    pub fn add(&mut self, rows: &[RowResult]) {
        for row in rows.chunks(self.per_row.max(1)) {
            self.of += 1;
            let mut missed = false;
            for r in row.iter().filter(|r| !r.converged) {
                missed = true;
                let d = r.relative_delta;
                if d > self.worst || d.is_nan() {
                    self.worst = d;
                }
            }
            if missed {
                self.missed.push(row[0].index);
            }
        }
    }

    /// `None` when every row counted converged.
    pub fn finish(self) -> Option<NotConverged> {
        (!self.missed.is_empty()).then_some(NotConverged {
            rows: self.missed,
            of: self.of,
            worst_relative_delta: self.worst,
        })
    }
}
