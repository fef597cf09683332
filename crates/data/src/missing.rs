//! Which cell texts mean "missing" (SPEC §5): by default the tokens pandas
//! reads as missing, replaceable as a whole (`--na-values`). Every reader —
//! the CSV loader, [`load_columns`](super::load_columns) for in-memory
//! tables and [`read_csv_columns`](super::read_csv_columns) — asks the same
//! [`MissingValues`], carried by [`LoadOptions`](super::LoadOptions).

use std::collections::BTreeSet;

/// pandas' default missing-value tokens (`pandas._libs.parsers.STR_NA_VALUES`,
/// pandas 3.1), matched exactly (case-sensitive) after trimming.
pub const PANDAS_NA_VALUES: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
    "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// The set of (trimmed) cell texts read as missing values. The empty cell is
/// always missing, whatever the list.
///
/// ```
/// use glassbox_data::MissingValues;
/// let pandas = MissingValues::default();
/// assert!(pandas.is_missing("") && pandas.is_missing("NULL") && pandas.is_missing("#N/A"));
/// assert!(!pandas.is_missing("NAN") && !pandas.is_missing("0")); // exact, case-sensitive
/// let mine = MissingValues::parse_list("-999, ?");
/// assert!(mine.is_missing("-999") && mine.is_missing("?") && mine.is_missing(""));
/// assert!(!mine.is_missing("NA"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingValues {
    tokens: BTreeSet<String>,
    /// Whether a token reads as a finite number (`-999`): only then must a
    /// cell that is a number be looked up.
    numeric: bool,
}

impl Default for MissingValues {
    /// pandas' default list, [`PANDAS_NA_VALUES`].
    fn default() -> Self {
        Self::new(PANDAS_NA_VALUES)
    }
}

impl MissingValues {
    /// Exactly these tokens (trimmed), plus the empty cell.
    pub fn new<S: AsRef<str>>(tokens: impl IntoIterator<Item = S>) -> Self {
        let mut set: BTreeSet<String> = tokens.into_iter().map(|t| t.as_ref().trim().to_string()).collect();
        set.insert(String::new());
        let numeric = set.iter().any(|t| t.parse::<f64>().is_ok_and(f64::is_finite));
        MissingValues { tokens: set, numeric }
    }

    /// A comma-separated list (`--na-values -999,?`), replacing the default.
    pub fn parse_list(list: &str) -> Self {
        Self::new(list.split(','))
    }

    /// Whether a trimmed cell is a missing value.
    pub fn is_missing(&self, cell: &str) -> bool {
        cell.is_empty() || self.tokens.contains(cell)
    }

    /// The tokens, sorted (the empty cell first).
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().map(String::as_str)
    }
}

/// Whether a trimmed cell is one of pandas' default missing-value tokens
/// ([`PANDAS_NA_VALUES`]); [`MissingValues::is_missing`] for another list.
///
/// ```
/// use glassbox_data::is_missing;
/// assert!(is_missing("") && is_missing("NaN") && is_missing("NA") && is_missing("null"));
/// assert!(!is_missing("0") && !is_missing("inf") && !is_missing("NAN"));
/// ```
pub fn is_missing(cell: &str) -> bool {
    PANDAS_NA_VALUES.contains(&cell)
}

/// What one (trimmed) text cell holds, by the one rule every reader uses:
/// a listed token is missing; otherwise it must parse as an `f64`; a text
/// that parses to NaN but is not listed (e.g. `NAN` with pandas' list) is
/// not a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cell {
    Missing,
    Number(f64),
    Infinite,
    Text,
}

impl Cell {
    pub(crate) fn of(cell: &str, na: &MissingValues) -> Cell {
        // The common case first: a finite number no token can equal (no set lookup).
        if !na.numeric {
            if let Ok(v) = cell.parse::<f64>() {
                if v.is_finite() {
                    return Cell::Number(v);
                }
            }
        }
        if na.is_missing(cell) {
            return Cell::Missing;
        }
        match cell.parse::<f64>() {
            Ok(v) if v.is_nan() => Cell::Text,
            Ok(v) if v.is_infinite() => Cell::Infinite,
            Ok(v) => Cell::Number(v),
            Err(_) => Cell::Text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pandas_token_is_missing_and_nothing_else() {
        let na = MissingValues::default();
        for t in PANDAS_NA_VALUES {
            assert!(na.is_missing(t) && is_missing(t), "{t:?}");
            assert_eq!(Cell::of(t, &na), Cell::Missing, "{t:?}");
        }
        for t in ["0", "N", "none", "-", "inf", "NAN", "Null", "nil"] {
            assert!(!na.is_missing(t) && !is_missing(t), "{t:?}");
        }
        assert_eq!(na.tokens().count(), PANDAS_NA_VALUES.len());
    }

    #[test]
    fn a_replaced_list_is_exact() {
        let na = MissingValues::parse_list("-999");
        assert_eq!(na.tokens().collect::<Vec<_>>(), ["", "-999"]);
        assert_eq!(Cell::of("-999", &na), Cell::Missing);
        assert_eq!(Cell::of("NA", &na), Cell::Text);
        assert_eq!(Cell::of("NaN", &na), Cell::Text);
        assert_eq!(Cell::of("", &na), Cell::Missing);
        assert_eq!(Cell::of("-1e400", &na), Cell::Infinite);
        assert_eq!(Cell::of("2.5", &na), Cell::Number(2.5));
    }

    #[test]
    fn numeric_tokens_win_over_numbers() {
        // The fast path for numbers must not skip a token that is itself a number.
        for (list, cell) in [("-999", "-999"), ("0", "0"), ("1e3", "1e3"), (" 7 ", "7")] {
            assert_eq!(Cell::of(cell, &MissingValues::parse_list(list)), Cell::Missing, "{list:?} {cell:?}");
        }
        assert_eq!(Cell::of("-999.0", &MissingValues::parse_list("-999")), Cell::Number(-999.0));
        assert_eq!(Cell::of("-999", &MissingValues::default()), Cell::Number(-999.0));
    }
}
