//! The model file's byte format (SPEC §5), version 2:
//!
//! ```text
//! offset 0   4 bytes   magic `GLT\0`
//!        4   u32 LE    format version (2)
//!        8   u32 LE    CRC-32 (IEEE) of bytes 4..8 and 12..end
//!       12   …         bincode 1.3 (size-limited) of the body
//! ```
//!
//! The body is the model's config, feature names, groups, scaler, class
//! names, named parameter tensors and training report (stored as its
//! SPEC §6 JSON text: bincode cannot read back the report's untagged
//! metrics, so the file holds exactly what `train --report` writes).
//! Version 1 (no checksum: the body follows the version) still loads.
//!
//! The checksum is checked before anything is decoded, so any flipped byte
//! after the magic is "the checksum does not match", never a silently
//! different model; then every decoded field is validated
//! ([`crate::model_check`]): the config makes a model, every tensor has its
//! declared shape and finite values, the scaler is finite with positive
//! spreads, the groups partition the features. Files are written
//! atomically (temporary file in the same folder, then rename). Loading a
//! truncated, corrupted, wrong-magic, wrong-version or oversized file is an
//! error naming the file, never a panic.

use std::path::Path;

use bincode::Options;
use serde::{Deserialize, Serialize};

use crate::data::FeatureGroups;
use crate::scaler::Scaler;
use crate::{GltConfig, GltError, Model};

/// The first four bytes of every model file.
pub const MAGIC: [u8; 4] = *b"GLT\0";
/// The format this build writes.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest format this build still reads (version 1: no checksum).
pub const OLDEST_FORMAT_VERSION: u32 = 1;
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
pub(crate) struct Body {
    pub(crate) config: GltConfig,
    pub(crate) feature_names: Vec<String>,
    pub(crate) groups: FeatureGroups,
    pub(crate) scaler: Scaler,
    pub(crate) class_names: Vec<String>,
    pub(crate) params: Vec<NamedTensor>,
    pub(crate) report_json: String,
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
        let encoded = bincode_options().serialize(&body).map_err(|e| GltError::ModelFile {
            path: "<memory>".into(),
            message: format!("cannot encode model: {e}"),
        })?;
        let version = FORMAT_VERSION.to_le_bytes();
        let mut out = MAGIC.to_vec();
        out.extend(version);
        out.extend(checksum(&version, &encoded).to_le_bytes());
        out.extend(encoded);
        Ok(out)
    }

    /// Parses a model file's bytes; `path` names the source in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, GltError> {
        let fail = |message: String| GltError::ModelFile { path: path.to_path_buf(), message };
        if bytes.len() < 8 || bytes[..4] != MAGIC {
            return Err(fail("not a glassbox model file (missing the GLT magic bytes)".into()));
        }
        let version = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        let body = match version {
            1 => &bytes[8..],
            2 => {
                let Some(stored) = bytes.get(8..12) else {
                    return Err(fail("truncated model file (it ends inside the header)".into()));
                };
                let stored = u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]);
                if stored != checksum(&bytes[4..8], &bytes[12..]) {
                    return Err(fail(
                        "corrupted or truncated model file (the checksum does not match its contents); \
                         copy the file again or retrain"
                            .into(),
                    ));
                }
                &bytes[12..]
            }
            v => {
                return Err(fail(format!(
                    "model format version {v}; this build reads versions {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION}"
                )))
            }
        };
        let body: Body = bincode_options().deserialize(body).map_err(|e| fail(decode_message(&e)))?;
        crate::model_check::model_of(body).map_err(fail)
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
        let len = std::fs::metadata(path).map_err(|e| fail(crate::error::io_text(&e)))?.len();
        if len > MAX_MODEL_BYTES + 12 {
            return Err(fail(format!("{len} bytes is larger than the {MAX_MODEL_BYTES}-byte limit for model files")));
        }
        let bytes = std::fs::read(path).map_err(|e| fail(crate::error::io_text(&e)))?;
        Self::from_bytes(&bytes, path)
    }
}

/// CRC-32 (IEEE) of the version bytes followed by the body.
fn checksum(version: &[u8], body: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(version);
    h.update(body);
    h.finalize()
}

/// One line for a body that does not decode, without bincode's internals.
fn decode_message(e: &bincode::Error) -> String {
    match &**e {
        bincode::ErrorKind::SizeLimit => {
            format!("corrupted model file (a length field asks for more than the {MAX_MODEL_BYTES}-byte limit)")
        }
        bincode::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "truncated model file (it ends before the model does)".into()
        }
        _ => "corrupted model file (its contents do not decode as a model)".into(),
    }
}
