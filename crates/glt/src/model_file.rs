//! The model file's byte format (SPEC §5): the magic bytes `GLT\0`, a
//! little-endian u32 format version, then bincode 1.3 (size-limited) of
//! the model's config, feature names, groups, scaler, class names, named
//! parameter tensors and training report. The report is stored as its
//! SPEC §6 JSON text (bincode cannot read back the report's untagged
//! metrics), so the file holds exactly what `train --report` writes. Files are written atomically
//! (temporary file in the same folder, then rename). Loading a truncated,
//! corrupted, wrong-magic, wrong-version or oversized file is an error,
//! never a panic, and a file whose parameters do not fit its config is
//! rejected.

use std::path::Path;

use bincode::Options;
use glassbox_autodiff::Tensor;
use ndarray::IxDyn;
use serde::{Deserialize, Serialize};

use crate::data::FeatureGroups;
use crate::report::TrainingReport;
use crate::scaler::Scaler;
use crate::{Glt, GltConfig, GltError, Model};

/// The first four bytes of every model file.
pub const MAGIC: [u8; 4] = *b"GLT\0";
/// The format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The largest model file accepted (1 GiB).
pub const MAX_MODEL_BYTES: u64 = 1 << 30;

/// A parameter as stored: name, shape, row-major values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedTensor {
    /// Safetensors name.
    pub name: String,
    /// Shape.
    pub shape: Vec<usize>,
    /// Values in row-major order.
    pub data: Vec<f32>,
}

#[derive(Serialize, Deserialize)]
struct Body {
    config: GltConfig,
    feature_names: Vec<String>,
    groups: FeatureGroups,
    scaler: Scaler,
    class_names: Vec<String>,
    params: Vec<NamedTensor>,
    report_json: String,
}

fn bincode_options() -> impl Options {
    bincode::DefaultOptions::new().with_limit(MAX_MODEL_BYTES)
}

impl Model {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, GltError> {
        let params = self
            .glt
            .layout
            .specs
            .iter()
            .zip(&self.params)
            .map(|(s, p)| NamedTensor {
                name: s.name.clone(),
                shape: p.shape().to_vec(),
                data: p.iter().copied().collect(),
            })
            .collect();
        let body = Body {
            config: self.glt.config.clone(),
            feature_names: self.feature_names.clone(),
            groups: self.groups.clone(),
            scaler: self.scaler.clone(),
            class_names: self.class_names.clone(),
            params,
            report_json: serde_json::to_string(&self.report).map_err(|e| GltError::ModelFile {
                path: "<memory>".into(),
                message: format!("cannot encode report: {e}"),
            })?,
        };
        let mut out = MAGIC.to_vec();
        out.extend(FORMAT_VERSION.to_le_bytes());
        bincode_options().serialize_into(&mut out, &body).map_err(|e| GltError::ModelFile {
            path: "<memory>".into(),
            message: format!("cannot encode model: {e}"),
        })?;
        Ok(out)
    }

    /// Parses a model file's bytes; `path` names the source in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, GltError> {
        let fail = |message: String| GltError::ModelFile { path: path.to_path_buf(), message };
        if bytes.len() < 8 || bytes[..4] != MAGIC {
            return Err(fail("not a glassbox model file (missing the GLT magic bytes)".into()));
        }
        let version = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(fail(format!("model format version {version}; this build reads version {FORMAT_VERSION}")));
        }
        let body: Body = bincode_options()
            .deserialize(&bytes[8..])
            .map_err(|e| fail(format!("corrupted or truncated model file ({e})")))?;
        Self::from_body(body).map_err(fail)
    }

    fn from_body(body: Body) -> Result<Self, String> {
        let report: TrainingReport =
            serde_json::from_str(&body.report_json).map_err(|e| format!("corrupted training report ({e})"))?;
        let glt = Glt::new(body.config).map_err(|e| e.to_string())?;
        let c = &glt.config;
        if body.feature_names.len() != c.n_features
            || body.scaler.mean.len() != c.n_features
            || body.scaler.std.len() != c.n_features
        {
            return Err(format!(
                "the model has {} features but stores {} names",
                c.n_features,
                body.feature_names.len()
            ));
        }
        if body.class_names.len() != c.n_classes {
            return Err(format!(
                "the model has {} classes but stores {} class names",
                c.n_classes,
                body.class_names.len()
            ));
        }
        let covered: usize = body.groups.members.iter().map(Vec::len).sum();
        if covered != c.n_features || body.groups.members.iter().flatten().any(|&f| f >= c.n_features) {
            return Err("the stored groups do not partition the features".into());
        }
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
                Tensor::from_shape_vec(IxDyn(&t.shape), t.data).map_err(|e| format!("parameter {}: {e}", t.name))
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

    /// Writes the model atomically ([`glassbox_data::write_atomic`]: a
    /// temporary file beside `path`, synced, then renamed over it), so a
    /// crash never leaves a half-written model.
    pub fn save(&self, path: &Path) -> Result<(), GltError> {
        let bytes = self.to_bytes()?;
        glassbox_data::write_atomic(path, &bytes).map_err(GltError::Write)
    }

    /// Reads a model file (refusing files over [`MAX_MODEL_BYTES`]).
    pub fn load(path: &Path) -> Result<Self, GltError> {
        let fail = |message: String| GltError::ModelFile { path: path.to_path_buf(), message };
        let len = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?.len();
        if len > MAX_MODEL_BYTES + 8 {
            return Err(fail(format!("{len} bytes is larger than the {MAX_MODEL_BYTES}-byte limit for model files")));
        }
        let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        Self::from_bytes(&bytes, path)
    }
}
