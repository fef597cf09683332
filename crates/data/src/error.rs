//! The one error type of the data module: every bad input becomes a [`DataError`] whose
//! message names the file and, where it applies, the row (numbered from 0 in file order,
//! excluding the header), the column or the pattern at fault.

use std::path::PathBuf;

/// Everything that can go wrong while loading data, reading a groups file, building
/// sequence windows or splitting rows. Each variant renders as one line.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// An output path that cannot be used (checked before any work).
    #[error("{flag} {}: {reason}", path.display())]
    OutputPath {
        /// The flag that named it.
        flag: String,
        /// The path.
        path: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The CSV reader rejected the file (e.g. invalid UTF-8, unbalanced quotes).
    #[error("{}: CSV error {}: {message}", path.display(), row.map_or_else(|| "in the header".to_string(), |r| format!("at row {r}")))]
    Csv {
        /// The file.
        path: PathBuf,
        /// The data row at fault, `None` for the header.
        row: Option<usize>,
        /// What the reader said.
        message: String,
    },
    /// A table file whose extension names no format glassbox reads.
    #[error("{}: unknown table format (the file name must end in one of {supported})", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// The extensions that are read.
        supported: &'static str,
    },
    /// A Parquet or Arrow file that cannot be read (corrupt, unsupported codec or column type).
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file has no header line at all.
    #[error("{}: the file is empty (expected a header line of column names)", path.display())]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// The file has a header but no data rows.
    #[error("{}: the file has a header but no data rows", path.display())]
    NoRows {
        /// The file.
        path: PathBuf,
    },
    /// A header cell is empty.
    #[error("{}: header column {index} (counting from 0) has an empty name", path.display())]
    EmptyColumnName {
        /// The file.
        path: PathBuf,
        /// Position of the column in the header.
        index: usize,
    },
    /// Two header cells have the same name.
    #[error("{}: duplicate column name {name:?} (header columns {first} and {second}, counting from 0)", path.display())]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// The repeated name.
        name: String,
        /// First position.
        first: usize,
        /// Second position.
        second: usize,
    },
    /// A data row has a different number of fields than the header.
    #[error("{}: row {row} has {found} fields but the header has {expected}", path.display())]
    RaggedRow {
        /// The file.
        path: PathBuf,
        /// The data row.
        row: usize,
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A named column (label, id, extra or a model feature) is not in the header.
    #[error("{}: no {role} column named {name:?}; the columns are {available}", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column asked for.
        name: String,
        /// What it was asked for as: "label", "id", "extra", "model feature".
        role: &'static str,
        /// A short list of the header's columns.
        available: String,
    },
    /// A column a role needs (sequence key, order, split key) was not loaded with the table.
    #[error("{}: the {role} column {name:?} was not loaded", path.display())]
    NotLoaded {
        /// The file.
        path: PathBuf,
        /// The column asked for.
        name: String,
        /// What it is needed as: "sequence", "order", "split".
        role: &'static str,
    },
    /// A feature glob matched no usable column.
    #[error("{}: feature pattern {pattern:?} matches no {what}; the columns are {available}", path.display())]
    UnmatchedFeature {
        /// The file.
        path: PathBuf,
        /// The glob.
        pattern: String,
        /// "column", or "column that is not the label, an id or an extra column".
        what: &'static str,
        /// A short list of the header's columns.
        available: String,
    },
    /// A pattern that cannot be used (e.g. empty).
    #[error("bad pattern {pattern:?}: {reason}")]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// Why it is rejected.
        reason: String,
    },
    /// One column was given two roles that exclude each other.
    #[error("{}: column {column:?} cannot be both {first} and {second}", path.display())]
    RoleConflict {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// First role.
        first: &'static str,
        /// Second role.
        second: &'static str,
    },
    /// After applying the feature globs and exclusions nothing is left.
    #[error("{}: no feature columns selected ({detail})", path.display())]
    NoFeatures {
        /// The file.
        path: PathBuf,
        /// What was selected from.
        detail: String,
    },
    /// A feature cell is neither a number nor a missing-value marker.
    #[error("{}: row {row}, column {column:?}: {text:?} is not a number{hint}", path.display())]
    NonNumeric {
        /// The file.
        path: PathBuf,
        /// The data row.
        row: usize,
        /// The column.
        column: String,
        /// The cell's text (trimmed).
        text: String,
        /// Advice, e.g. to exclude a text column the default feature set picked up.
        hint: String,
    },
    /// A feature cell is ±inf or overflows to ±inf.
    #[error("{}: row {row}, column {column:?}: {text:?} is infinite; only finite numbers are allowed (leave the cell empty for a missing value)", path.display())]
    Infinite {
        /// The file.
        path: PathBuf,
        /// The data row.
        row: usize,
        /// The column.
        column: String,
        /// The cell's text (trimmed).
        text: String,
    },
    /// The label cell of a row is empty or a missing-value marker.
    #[error("{}: row {row}, label column {column:?}: the label is missing", path.display())]
    MissingLabel {
        /// The file.
        path: PathBuf,
        /// The data row.
        row: usize,
        /// The label column.
        column: String,
    },
    /// A label value is not one of the classes the caller fixed (a trained model's).
    #[error("{}: row {row}, label column {column:?}: {value:?} is not one of the classes {classes}", path.display())]
    UnknownLabel {
        /// The file.
        path: PathBuf,
        /// The data row.
        row: usize,
        /// The label column.
        column: String,
        /// The label text.
        value: String,
        /// The allowed classes.
        classes: String,
    },
    /// Any other problem with labels (e.g. fewer classes than needed).
    #[error("labels: {0}")]
    Label(String),
    /// The groups file is not valid TOML or not shaped as `[groups] Name = ["glob", ..]`.
    #[error("{file}: {message}")]
    GroupsToml {
        /// The groups file (or other source name).
        file: String,
        /// What is wrong, with a line number where known.
        message: String,
    },
    /// A feature is matched by two groups.
    #[error("{file}: feature {feature:?} is in two groups, {first:?} and {second:?}")]
    GroupOverlap {
        /// The groups file.
        file: String,
        /// The feature.
        feature: String,
        /// The group listed first.
        first: String,
        /// The other group.
        second: String,
    },
    /// Sequence windows cannot be built from the arguments.
    #[error("sequence windows: {0}")]
    Window(String),
    /// Rows cannot be split as asked.
    #[error("split: {0}")]
    Split(String),
    /// A row index outside the data set.
    #[error("row {row} is out of range: the data set has {rows} rows")]
    RowOutOfRange {
        /// The index asked for.
        row: usize,
        /// Number of rows.
        rows: usize,
    },
    /// A feature index outside the data set.
    #[error("feature {feature} is out of range: the data set has {features} features")]
    FeatureOutOfRange {
        /// The index asked for.
        feature: usize,
        /// Number of features.
        features: usize,
    },
}

impl DataError {
    /// The same error with its data row renumbered by `file_row` (a row of
    /// a table read in part → the file's row number); others unchanged.
    pub(crate) fn with_row(self, file_row: impl Fn(usize) -> usize) -> Self {
        use DataError::*;
        match self {
            Csv { path, row, message } => Csv { path, row: row.map(&file_row), message },
            RaggedRow { path, row, found, expected } => RaggedRow { path, row: file_row(row), found, expected },
            NonNumeric { path, row, column, text, hint } => NonNumeric { path, row: file_row(row), column, text, hint },
            Infinite { path, row, column, text } => Infinite { path, row: file_row(row), column, text },
            MissingLabel { path, row, column } => MissingLabel { path, row: file_row(row), column },
            UnknownLabel { path, row, column, value, classes } => {
                UnknownLabel { path, row: file_row(row), column, value, classes }
            }
            other => other,
        }
    }
}

/// A readable, bounded list of names for error messages: `"a", "b", "c" and 12 more`.
pub(crate) fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 12;
    if names.is_empty() {
        return "(none)".to_string();
    }
    let mut out: Vec<String> = names.iter().take(SHOWN).map(|n| format!("{n:?}")).collect();
    if names.len() > SHOWN {
        out.push(format!("and {} more", names.len() - SHOWN));
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_list_is_bounded() {
        let names: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
        let s = name_list(&names);
        assert!(s.starts_with("\"c0\", \"c1\""));
        assert!(s.ends_with("and 8 more"), "{s}");
        assert_eq!(name_list(&[]), "(none)");
    }

    #[test]
    fn messages_are_one_line() {
        let e = DataError::NonNumeric {
            path: "d.csv".into(),
            row: 2,
            column: "Wagon_Speed".into(),
            text: "fast".into(),
            hint: String::new(),
        };
        let s = e.to_string();
        assert_eq!(s, "d.csv: row 2, column \"Wagon_Speed\": \"fast\" is not a number");
        assert!(!s.contains('\n'));
    }
}
