//! `inspect --safetensors OUT`: the parameters in PyTorch conventions
//! (SPEC §5): f32, Linear weights `[out, in]`, the names of the model's
//! layout plus `scaler.mean` and `scaler.std`, and metadata `config`,
//! `feature_names` and `groups` as JSON strings.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, Result};
use glassbox::cli::write_atomic;
use glassbox_glt::{InputMode, Model};
use safetensors::tensor::{Dtype, TensorView};
use serde_json::json;

fn le_bytes(values: impl Iterator<Item = f32>) -> Vec<u8> {
    values.flat_map(f32::to_le_bytes).collect()
}

/// Writes the safetensors file.
pub fn export(model: &Model, path: &Path) -> Result<()> {
    let mut buffers: Vec<(String, Vec<usize>, Vec<u8>)> = vec![
        ("scaler.mean".into(), vec![model.scaler.mean.len()], le_bytes(model.scaler.mean.iter().map(|&v| v as f32))),
        ("scaler.std".into(), vec![model.scaler.std.len()], le_bytes(model.scaler.std.iter().map(|&v| v as f32))),
    ];
    for (spec, p) in model.glt.layout.specs.iter().zip(&model.params) {
        buffers.push((spec.name.clone(), p.shape().to_vec(), le_bytes(p.iter().copied())));
    }
    let views: Vec<(String, TensorView<'_>)> = buffers
        .iter()
        .map(|(name, shape, bytes)| Ok((name.clone(), TensorView::new(Dtype::F32, shape.clone(), bytes)?)))
        .collect::<Result<_, safetensors::SafeTensorError>>()
        .context("building the safetensors views")?;
    let c = &model.glt.config;
    let (mode, seq_len) = match c.mode {
        InputMode::Tabular => ("tabular", None),
        InputMode::Sequence { seq_len } => ("sequence", Some(seq_len)),
    };
    let groups: BTreeMap<&str, Vec<&str>> = model
        .groups
        .names
        .iter()
        .zip(&model.groups.members)
        .map(|(n, m)| (n.as_str(), m.iter().map(|&f| model.feature_names[f].as_str()).collect()))
        .collect();
    let metadata: HashMap<String, String> = HashMap::from([
        (
            "config".to_string(),
            json!({"mode": mode, "d_model": c.d_model, "n_heads": c.n_heads, "n_blocks": c.n_blocks, "d_ff": c.d_ff,
                   "n_classes": c.n_classes, "seq_len": seq_len, "layer_norm_eps": c.layer_norm_eps, "activation": "gelu_tanh"})
            .to_string(),
        ),
        ("feature_names".to_string(), json!(model.feature_names).to_string()),
        ("groups".to_string(), json!(groups).to_string()),
    ]);
    let bytes = safetensors::serialize(views, Some(metadata)).context("encoding safetensors")?;
    write_atomic(path, &bytes)?;
    Ok(())
}
