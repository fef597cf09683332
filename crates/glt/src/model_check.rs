//! Validation of a decoded model file body: every field is checked before a
//! [`Model`] exists, so a model that loads is one that can run. The checks
//! (each failure one line, naming the field):
//!
//! - the config makes a model ([`crate::GltConfig::validate`]: sizes within
//!   their caps, `n_heads | d_model`, `layer_norm_eps > 0` and finite,
//!   dropout in `[0, 1)`);
//! - `F` feature names, `F` scaler means (finite) and spreads (finite,
//!   `> 0`), `C` class names;
//! - the groups partition `0..F`: every feature in exactly one group, one
//!   name per group;
//! - each parameter tensor has the name and shape the config's layout
//!   gives, `∏ shape` values, all finite;
//! - the training report parses and describes the same architecture.

use glassbox_autodiff::Tensor;
use ndarray::IxDyn;

use crate::model_file::Body;
use crate::report::TrainingReport;
use crate::{Glt, Model};

/// The model a decoded body describes, or what is wrong with it.
pub(crate) fn model_of(body: Body) -> Result<Model, String> {
    let report: TrainingReport =
        serde_json::from_str(&body.report_json).map_err(|e| format!("corrupted training report ({e})"))?;
    let glt = Glt::new(body.config).map_err(|e| e.to_string())?;
    let c = &glt.config;
    if report.config.model != *c {
        return Err("the training report describes a different architecture than the stored config".into());
    }
    let f = c.n_features;
    if body.feature_names.len() != f {
        return Err(format!("the model has {f} features but stores {} names", body.feature_names.len()));
    }
    let s = &body.scaler;
    if s.mean.len() != f || s.std.len() != f || s.missing.len() != f {
        return Err(format!("the scaler does not have one entry per feature ({f})"));
    }
    // In f32, the precision the model runs in.
    let f32_max = f64::from(f32::MAX);
    if let Some(i) = s.mean.iter().position(|m| !(m.is_finite() && m.abs() <= f32_max)) {
        return Err(format!("the scaler's mean of {:?} is not a finite f32", body.feature_names[i]));
    }
    let spread_ok = |v: f64| v.is_finite() && v >= f64::from(f32::MIN_POSITIVE) && v <= f32_max;
    if let Some(i) = s.std.iter().position(|&v| !spread_ok(v)) {
        return Err(format!("the scaler's spread of {:?} is not a positive finite f32", body.feature_names[i]));
    }
    if (c.layer_norm_eps as f32) < f32::MIN_POSITIVE {
        return Err(format!("layer_norm_eps {} is zero in f32, the model's precision", c.layer_norm_eps));
    }
    if body.class_names.len() != c.n_classes {
        return Err(format!("the model has {} classes but stores {} class names", c.n_classes, body.class_names.len()));
    }
    check_groups(&body.groups.names, &body.groups.members, f)?;
    if body.params.len() != glt.layout.specs.len() {
        return Err(format!("{} parameter tensors stored, {} expected", body.params.len(), glt.layout.specs.len()));
    }
    let params = glt
        .layout
        .specs
        .iter()
        .zip(body.params)
        .map(|(spec, t)| {
            if t.name != spec.name || t.shape != spec.shape {
                return Err(format!(
                    "parameter {} {:?} does not match the config's {} {:?}",
                    t.name, t.shape, spec.name, spec.shape
                ));
            }
            if t.data.iter().any(|v| !v.is_finite()) {
                return Err(format!("parameter {} has values that are not finite", t.name));
            }
            Tensor::from_shape_vec(IxDyn(&t.shape), t.data)
                .map_err(|_| format!("parameter {} does not hold {:?} values", spec.name, spec.shape))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Model {
        glt,
        params,
        feature_names: body.feature_names,
        groups: body.groups,
        scaler: body.scaler,
        class_names: body.class_names,
        report,
    })
}

/// Every feature `0..f` in exactly one group, one name per group.
fn check_groups(names: &[String], members: &[Vec<usize>], f: usize) -> Result<(), String> {
    if names.len() != members.len() {
        return Err(format!("{} group names for {} groups", names.len(), members.len()));
    }
    let mut seen = vec![false; f];
    for &i in members.iter().flatten() {
        match seen.get_mut(i) {
            Some(s) if !*s => *s = true,
            _ => return Err("the stored groups do not partition the features".into()),
        }
    }
    if seen.contains(&false) {
        return Err("the stored groups do not partition the features".into());
    }
    Ok(())
}
