//! Training checkpoints (`train --checkpoint DIR`, `--resume`): after every
//! epoch the state of the fit in progress, and every finished fit, are
//! written atomically to `DIR/train.checkpoint`. A run resumed from it
//! replays the finished fits and continues the one in progress from its
//! last epoch, and ends with a model bitwise identical to an uninterrupted
//! run's: each epoch's shuffle and dropout are seeded from the epoch
//! number ([`crate::fit`]), so an epoch boundary holds the whole state.
//!
//! The fits of a run are its phases: 0 is the first fit (the dense fit, or
//! the only fit at a fixed λ), `1..` the points of the λ path, then the
//! refits in the order run (a fixed λ's refit is phase 1). The file
//! is `GLTK`, a u32 version, a CRC-32 of the rest, then bincode of the
//! journal, which also records a fingerprint of the data and settings: a
//! checkpoint is never resumed by a different run.

use std::path::{Path, PathBuf};

use bincode::Options;
use glassbox_autodiff::Tensor;
use ndarray::IxDyn;
use serde::{Deserialize, Serialize};

use crate::fit::{FitOptions, FitState, Fitted};
use crate::optim::AdamW;
use crate::GltError;

const MAGIC: [u8; 4] = *b"GLTK";
const VERSION: u32 = 3;

/// The checkpoint file inside a `--checkpoint` folder.
pub const CHECKPOINT_FILE: &str = "train.checkpoint";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Stored {
    shape: Vec<usize>,
    data: Vec<f32>,
}

fn store(ts: &[Tensor<f32>]) -> Vec<Stored> {
    ts.iter().map(|t| Stored { shape: t.shape().to_vec(), data: t.iter().copied().collect() }).collect()
}

fn restore(ts: Vec<Stored>) -> Result<Vec<Tensor<f32>>, String> {
    ts.into_iter()
        .map(|s| Tensor::from_shape_vec(IxDyn(&s.shape), s.data).map_err(|_| "a tensor does not fit its shape".into()))
        .collect()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredFitted {
    params: Vec<Stored>,
    val_loss: f64,
    epochs_run: usize,
    train_losses: Vec<f64>,
    val_losses: Vec<f64>,
    kept_groups: Vec<usize>,
    group_norms: Vec<Vec<f64>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredState {
    params: Vec<Stored>,
    adam_step: i32,
    adam_m: Vec<Stored>,
    adam_v: Vec<Stored>,
    best: StoredFitted,
    since_best: usize,
    next_epoch: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Journal {
    fingerprint: u32,
    completed: Vec<StoredFitted>,
    current: Option<StoredState>,
}

fn stored_fitted(f: &Fitted) -> StoredFitted {
    StoredFitted {
        params: store(&f.params),
        val_loss: f.val_loss,
        epochs_run: f.epochs_run,
        train_losses: f.train_losses.clone(),
        val_losses: f.val_losses.clone(),
        kept_groups: f.kept_groups.clone(),
        group_norms: f.group_norms.clone(),
    }
}

fn fitted(s: StoredFitted) -> Result<Fitted, String> {
    Ok(Fitted {
        params: restore(s.params)?,
        val_loss: s.val_loss,
        epochs_run: s.epochs_run,
        train_losses: s.train_losses,
        val_losses: s.val_losses,
        kept_groups: s.kept_groups,
        group_norms: s.group_norms,
    })
}

/// The checkpoints of one training run.
#[derive(Debug)]
pub struct Checkpoints {
    file: PathBuf,
    journal: Journal,
    resumed: bool,
}

impl Checkpoints {
    /// Checkpoints in `dir` (created if missing). Without `resume`, a
    /// folder that already holds a checkpoint is refused (it is an earlier
    /// run's work); with `resume`, its checkpoint is read (none yet: the
    /// run starts from the beginning).
    pub fn open(dir: &Path, resume: bool) -> Result<Self, GltError> {
        let fail = |message: String| GltError::Checkpoint { path: dir.to_path_buf(), message };
        std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create the folder ({})", e.kind())))?;
        let file = dir.join(CHECKPOINT_FILE);
        let exists = file.exists();
        if exists && !resume {
            return Err(fail(format!(
                "holds the checkpoint of an earlier run ({CHECKPOINT_FILE}); add --resume to continue it, \
                 or choose another folder"
            )));
        }
        let journal = if exists { read(&file).map_err(fail)? } else { Journal::default() };
        Ok(Checkpoints { file, journal, resumed: exists })
    }

    /// Whether an earlier run's checkpoint was read.
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// The file written after every epoch.
    pub fn file(&self) -> &Path {
        &self.file
    }

    fn fail(&self, message: String) -> GltError {
        GltError::Checkpoint { path: self.file.clone(), message }
    }

    /// Ties the checkpoint to a run: a resumed checkpoint of other data or
    /// settings is refused.
    pub(crate) fn bind(&mut self, fingerprint: u32) -> Result<(), GltError> {
        if self.resumed && self.journal.fingerprint != fingerprint {
            return Err(self.fail(
                "is the checkpoint of a different run (the data, flags or seed differ); \
                 resume with the same command, or choose another folder"
                    .into(),
            ));
        }
        self.journal.fingerprint = fingerprint;
        Ok(())
    }

    /// The result of phase `phase` if it had finished.
    pub(crate) fn finished(&self, phase: usize) -> Result<Option<Fitted>, GltError> {
        match self.journal.completed.get(phase) {
            Some(f) => fitted(f.clone()).map(Some).map_err(|m| self.fail(m)),
            None => Ok(None),
        }
    }

    /// The state phase `phase` was in, if it is the one in progress.
    pub(crate) fn in_progress(&self, phase: usize, opts: &FitOptions) -> Result<Option<FitState>, GltError> {
        let Some(s) = self.journal.current.clone().filter(|_| phase == self.journal.completed.len()) else {
            return Ok(None);
        };
        let state = (|| -> Result<FitState, String> {
            let adam =
                AdamW::with_moments(opts.lr, opts.weight_decay, s.adam_step, restore(s.adam_m)?, restore(s.adam_v)?);
            Ok(FitState {
                params: restore(s.params)?,
                adam,
                best: fitted(s.best)?,
                since_best: s.since_best,
                next_epoch: s.next_epoch,
            })
        })();
        state.map(Some).map_err(|m| self.fail(m))
    }

    /// Saves the state of the phase in progress.
    pub(crate) fn save_state(&mut self, state: &FitState) -> Result<(), GltError> {
        let (step, m, v) = state.adam.moments();
        self.journal.current = Some(StoredState {
            params: store(&state.params),
            adam_step: step,
            adam_m: store(m),
            adam_v: store(v),
            best: stored_fitted(&state.best),
            since_best: state.since_best,
            next_epoch: state.next_epoch,
        });
        self.write()
    }

    /// Records phase `phase` as finished with `result`.
    pub(crate) fn finish(&mut self, phase: usize, result: &Fitted) -> Result<(), GltError> {
        if phase == self.journal.completed.len() {
            self.journal.completed.push(stored_fitted(result));
            self.journal.current = None;
            self.write()?;
        }
        Ok(())
    }

    fn write(&self) -> Result<(), GltError> {
        let body = bincode::DefaultOptions::new().serialize(&self.journal).map_err(|e| self.fail(e.to_string()))?;
        let mut bytes = MAGIC.to_vec();
        bytes.extend(VERSION.to_le_bytes());
        bytes.extend(crc32fast::hash(&body).to_le_bytes());
        bytes.extend(body);
        glassbox_data::write_atomic(&self.file, &bytes).map_err(GltError::Write)
    }

    /// Removes the checkpoint (after the run's outputs were written).
    pub fn remove(self) -> Result<(), GltError> {
        match std::fs::remove_file(&self.file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(GltError::Write(e)),
            _ => Ok(()),
        }
    }
}

fn read(file: &Path) -> Result<Journal, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{CHECKPOINT_FILE}: {}", e.kind()))?;
    if bytes.len() < 12 || bytes[..4] != MAGIC {
        return Err(format!("{CHECKPOINT_FILE} is not a glassbox checkpoint"));
    }
    if bytes[4..8] != VERSION.to_le_bytes() {
        return Err(format!("{CHECKPOINT_FILE} has a format this build does not read"));
    }
    if bytes[8..12] != crc32fast::hash(&bytes[12..]).to_le_bytes() {
        return Err(format!("{CHECKPOINT_FILE} is corrupted (its checksum does not match); remove it to start over"));
    }
    bincode::DefaultOptions::new()
        .with_limit(crate::model_file::MAX_MODEL_BYTES * 16)
        .deserialize(&bytes[12..])
        .map_err(|_| format!("{CHECKPOINT_FILE} is corrupted; remove it to start over"))
}

/// A fingerprint of everything that decides a run's result (CRC-32 of the
/// settings' debug text, the feature names, groups, values and labels).
pub(crate) fn fingerprint(parts: &[&[u8]]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize()
}
