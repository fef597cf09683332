//! Data loading (SPEC §5): CSV tables, feature globs, groups, windows, splits.

/// Placeholder until the data module lands (being written on branch `data`).
#[derive(Debug, thiserror::Error)]
#[error("data error")]
pub struct DataError;
