//! How much memory training a configuration needs, and the cap that
//! follows from the machine: a configuration whose estimate is above the
//! budget is refused before any allocation, with the largest `d_model`
//! that would fit.
//!
//! With `L` tokens (`F + 1` tabular, `T + 1` sequence), `d` = `d_model`,
//! `h` heads, `d_ff`, `n` blocks and batch `B`, the tape of one mini-batch
//! keeps per block and row about `L·(10·d + 2·d_ff + 2·h·L)` values (norms,
//! q/k/v/o, attention scores and weights, the FFN), and its backward as
//! many again; parameters, gradients and AdamW's two moments are four
//! copies of `P ≈ 2·F·d + n·(4·d² + 2·d·d_ff)`. In f32:
//!
//! `bytes ≈ 4·(2·B·n·L·(10·d + 2·d_ff + 2·h·L) + 4·P)`.

use crate::{GltConfig, GltError, InputMode};

/// Estimated bytes to train `config` with mini-batches of `batch` rows.
///
/// ```
/// let c = glassbox_glt::GltConfig::tabular(24, 2);
/// let bytes = glassbox_glt::footprint::training_bytes(&c, 256);
/// assert!(bytes > 10 << 20 && bytes < 1 << 30, "{bytes}");
/// ```
pub fn training_bytes(config: &GltConfig, batch: usize) -> u128 {
    let u = |v: usize| v as u128;
    let (d, ff, h, n) = (u(config.d_model), u(config.d_ff), u(config.n_heads), u(config.n_blocks));
    let f = u(config.n_features);
    let tokens = match config.mode {
        InputMode::Tabular => f + 1,
        InputMode::Sequence { seq_len } => u(seq_len) + 1,
    };
    let activations = 2 * u(batch) * n * tokens * (10 * d + 2 * ff + 2 * h * tokens);
    let params = 2 * f * d + n * (4 * d * d + 2 * d * ff);
    4 * (activations + 4 * params)
}

/// The memory training may use: the `GLASSBOX_MEMORY_LIMIT` environment
/// variable (bytes) when set, else three quarters of the machine's
/// available memory (`MemAvailable` of `/proc/meminfo`), else 4 GiB.
pub fn memory_budget() -> u128 {
    if let Some(v) = std::env::var("GLASSBOX_MEMORY_LIMIT").ok().and_then(|v| v.trim().parse::<u128>().ok()) {
        return v;
    }
    let available = std::fs::read_to_string("/proc/meminfo").ok().and_then(|text| {
        let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
        line.split_whitespace().nth(1)?.parse::<u128>().ok().map(|kib| kib * 1024)
    });
    available.map(|b| b / 4 * 3).unwrap_or(4 << 30)
}

fn gib(bytes: u128) -> String {
    format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
}

/// Refuses a configuration whose [`training_bytes`] exceed `budget`,
/// naming what fits instead.
///
/// ```
/// use glassbox_glt::{footprint::check_training_memory, GltConfig};
/// let c = GltConfig { d_model: 4096, n_heads: 4, ..GltConfig::tabular(24, 2) };
/// let e = check_training_memory(&c, 256, 8 << 30).unwrap_err().to_string();
/// assert!(e.contains("use --d-model"), "{e}");
/// ```
pub fn check_training_memory(config: &GltConfig, batch: usize, budget: u128) -> Result<(), GltError> {
    let need = training_bytes(config, batch);
    if need <= budget {
        return Ok(());
    }
    let fits = |d: usize| {
        let c = GltConfig { d_model: d, d_ff: 2 * d, ..config.clone() };
        training_bytes(&c, batch) <= budget
    };
    let step = config.n_heads.max(1);
    let largest = (1..=config.d_model / step).rev().map(|k| k * step).find(|&d| fits(d));
    let advice = match largest {
        Some(d) => format!("use --d-model {d} --d-ff {} or less, or a smaller --batch-size", 2 * d),
        None => format!(
            "even the smallest model does not fit: use fewer features (each is a token: {} here) \
             or a smaller --batch-size or --window",
            config.n_features
        ),
    };
    Err(GltError::Config(format!(
        "training this model needs about {} of memory (batch {batch}), above the {} this machine allows; {advice}",
        gib(need),
        gib(budget)
    )))
}
