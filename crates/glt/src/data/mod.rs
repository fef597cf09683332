//! Data loading (SPEC §5): CSV tables, feature globs, groups, windows, splits.
