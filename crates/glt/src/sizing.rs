//! Defaults that fit the data size.
//!
//! A small table cannot use the capacity of the SPEC §3 model (d = 64,
//! 3 blocks, d_ff = 128) and pays for it in time: a table of fewer than
//! [`SMALL_TABLE_ROWS`] rows gets d = 32, 2 blocks, d_ff = 64, at most 100
//! epochs for the dense fit and 30 per λ-path point. Larger tables get the
//! SPEC defaults (200 and 50 epochs). Flags or settings the user gives
//! always win; the rule fills in only what was left out.
//!
//! ```
//! use glassbox_glt::sizing::SizeDefaults;
//! assert_eq!(SizeDefaults::for_rows(569).d_model, 32);
//! assert_eq!(SizeDefaults::for_rows(6000).d_model, 64);
//! ```

/// Tables with fewer rows than this get the small-table defaults.
pub const SMALL_TABLE_ROWS: usize = 2000;

/// The size-dependent defaults of a training run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeDefaults {
    /// Token width d.
    pub d_model: usize,
    /// Attention heads.
    pub n_heads: usize,
    /// Encoder blocks.
    pub n_blocks: usize,
    /// FFN hidden width.
    pub d_ff: usize,
    /// Maximum epochs of the dense (or fixed-λ) fit and of the refit.
    pub epochs: usize,
    /// Maximum epochs per λ-path point.
    pub epochs_per_point: usize,
}

impl SizeDefaults {
    /// The SPEC §3 defaults (tables of [`SMALL_TABLE_ROWS`] rows or more).
    pub const STANDARD: SizeDefaults =
        SizeDefaults { d_model: 64, n_heads: 4, n_blocks: 3, d_ff: 128, epochs: 200, epochs_per_point: 50 };
    /// The small-table defaults.
    pub const SMALL: SizeDefaults =
        SizeDefaults { d_model: 32, n_heads: 4, n_blocks: 2, d_ff: 64, epochs: 100, epochs_per_point: 30 };

    /// The defaults for a table of `rows` rows (all of them, before the split).
    pub fn for_rows(rows: usize) -> Self {
        if rows < SMALL_TABLE_ROWS {
            Self::SMALL
        } else {
            Self::STANDARD
        }
    }

    /// Whether these are the small-table defaults.
    pub fn is_small(&self) -> bool {
        *self == Self::SMALL
    }
}
