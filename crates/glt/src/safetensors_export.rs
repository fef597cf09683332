//! The safetensors export (SPEC §5): the parameters in PyTorch conventions
//! (f32, Linear weights `[out, in]`, `y = x·Wᵀ + b`), named as the model's
//! layout plus `scaler.mean` and `scaler.std` `[F]`, with metadata
//! `config`, `feature_names` and `groups` as JSON strings — what a PyTorch
//! module of the same architecture loads.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use safetensors::tensor::{Dtype, TensorView};
use serde_json::json;

use crate::{GltError, InputMode, Model};

fn le_bytes(values: impl Iterator<Item = f32>) -> Vec<u8> {
    values.flat_map(f32::to_le_bytes).collect()
}

fn encode_error(e: impl std::fmt::Display) -> GltError {
    GltError::ModelFile { path: "<safetensors>".into(), message: format!("cannot encode safetensors: {e}") }
}

impl Model {
    /// The safetensors bytes of the model's weights.
    ///
    /// ```
    /// # let m = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
    /// let bytes = m.to_safetensors()?;
    /// let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    /// let header = std::str::from_utf8(&bytes[8..8 + header_len]).unwrap();
    /// assert!(header.contains("\"tokenizer.weight\"") && header.contains("\"scaler.mean\""));
    /// # Ok::<(), glassbox_glt::GltError>(())
    /// ```
    pub fn to_safetensors(&self) -> Result<Vec<u8>, GltError> {
        let mut buffers: Vec<(String, Vec<usize>, Vec<u8>)> = vec![
            ("scaler.mean".into(), vec![self.scaler.mean.len()], le_bytes(self.scaler.mean.iter().map(|&v| v as f32))),
            ("scaler.std".into(), vec![self.scaler.std.len()], le_bytes(self.scaler.std.iter().map(|&v| v as f32))),
        ];
        for (spec, p) in self.glt.layout.specs.iter().zip(&self.params) {
            buffers.push((spec.name.clone(), p.shape().to_vec(), le_bytes(p.iter().copied())));
        }
        let views: Vec<(String, TensorView<'_>)> = buffers
            .iter()
            .map(|(name, shape, bytes)| Ok((name.clone(), TensorView::new(Dtype::F32, shape.clone(), bytes)?)))
            .collect::<Result<_, safetensors::SafeTensorError>>()
            .map_err(encode_error)?;
        let c = &self.glt.config;
        let (mode, seq_len) = match c.mode {
            InputMode::Tabular => ("tabular", None),
            InputMode::Sequence { seq_len } => ("sequence", Some(seq_len)),
        };
        let groups: BTreeMap<&str, Vec<&str>> = self
            .groups
            .names
            .iter()
            .zip(&self.groups.members)
            .map(|(n, m)| (n.as_str(), m.iter().map(|&f| self.feature_names[f].as_str()).collect()))
            .collect();
        let metadata: HashMap<String, String> = HashMap::from([
            (
                "config".to_string(),
                json!({"mode": mode, "d_model": c.d_model, "n_heads": c.n_heads, "n_blocks": c.n_blocks, "d_ff": c.d_ff,
                       "n_classes": c.n_classes, "seq_len": seq_len, "layer_norm_eps": c.layer_norm_eps, "activation": "gelu_tanh"})
                .to_string(),
            ),
            ("feature_names".to_string(), json!(self.feature_names).to_string()),
            ("groups".to_string(), json!(groups).to_string()),
        ]);
        safetensors::serialize(views, Some(metadata)).map_err(encode_error)
    }

    /// Writes [`Model::to_safetensors`] to `path` atomically.
    pub fn save_safetensors(&self, path: &Path) -> Result<(), GltError> {
        crate::data::write_atomic(path, &self.to_safetensors()?).map_err(GltError::Write)
    }
}
