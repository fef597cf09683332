//! `--rows 0,3,10-20`: row numbers from 0 in file order (header excluded),
//! single numbers and inclusive ranges, in the order given; the one parser
//! of every tool and binding. [`RowList`] is the list before the table's
//! size is known (so that a reader can keep just those rows).

use crate::error::{request, ExplainError};

/// Parses a row list against the table's row count.
///
/// ```
/// use glassbox_explainer::parse_rows;
/// assert_eq!(parse_rows("0,3,10-12", 20)?, vec![0, 3, 10, 11, 12]);
/// assert!(parse_rows("0,,1", 20).unwrap_err().to_string().contains("empty item"));
/// assert!(parse_rows("25", 20).unwrap_err().to_string().contains("past the end"));
/// # Ok::<(), glassbox_explainer::ExplainError>(())
/// ```
pub fn parse_rows(spec: &str, rows: usize) -> Result<Vec<usize>, ExplainError> {
    RowList::parse(spec)?.rows(rows)
}

/// A parsed `--rows` list, before the table's size is known: what a reader
/// needs to keep ([`RowList::ranges`]), then the rows in the order given
/// ([`RowList::rows`]).
///
/// ```
/// use glassbox_explainer::RowList;
/// let list = RowList::parse("10-12,3")?;
/// assert_eq!((list.ranges(), list.last()), (&[(10, 12), (3, 3)][..], 12));
/// assert_eq!(list.rows(20)?, [10, 11, 12, 3]);
/// assert!(list.rows(12).unwrap_err().to_string().contains("row 12 is past the end (the table has 12 rows"));
/// # Ok::<(), glassbox_explainer::ExplainError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowList {
    spec: String,
    ranges: Vec<(usize, usize)>,
}

impl RowList {
    /// Reads `0,3,10-20`: numbers and inclusive ranges, none backwards.
    pub fn parse(spec: &str) -> Result<Self, ExplainError> {
        let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
        if parts.len() > 1 && parts.iter().any(|p| p.is_empty()) {
            return request(format!(
                "--rows '{spec}': an empty item between commas; write row numbers and ranges like 0,3,10-20"
            ));
        }
        let mut ranges = Vec::new();
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            let num = |s: &str| -> Result<usize, ExplainError> {
                s.trim().parse::<usize>().or_else(|_| request(format!("--rows: '{s}' is not a row number")))
            };
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                None => (num(part)?, num(part)?),
            };
            if a > b {
                return request(format!("--rows: range {part} runs backwards"));
            }
            ranges.push((a, b));
        }
        if ranges.is_empty() {
            return request("--rows: no rows given");
        }
        Ok(RowList { spec: spec.to_string(), ranges })
    }

    /// The inclusive ranges, in the order given.
    pub fn ranges(&self) -> &[(usize, usize)] {
        &self.ranges
    }

    /// The highest row listed.
    pub fn last(&self) -> usize {
        self.ranges.iter().map(|r| r.1).max().unwrap_or(0)
    }

    /// The rows, in the order given, of a table of `rows` rows: a row past
    /// the end is an error saying how many rows the table has.
    pub fn rows(&self, rows: usize) -> Result<Vec<usize>, ExplainError> {
        let mut out = Vec::new();
        for &(a, b) in &self.ranges {
            if b >= rows {
                return request(format!(
                    "--rows: row {b} is past the end (the table has {rows} rows, numbered 0 to {})",
                    rows.saturating_sub(1)
                ));
            }
            if out.len() + (b - a + 1) > rows.saturating_mul(16).max(1 << 20) {
                return request(format!("--rows '{}': more rows than the table holds many times over", self.spec));
            }
            out.extend(a..=b);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges() {
        assert_eq!(parse_rows("0,3,10-12", 20).unwrap(), vec![0, 3, 10, 11, 12]);
        assert!(parse_rows("5-2", 20).unwrap_err().to_string().contains("backwards"));
        assert!(parse_rows("25", 20).unwrap_err().to_string().contains("row 25 is past the end"));
        assert!(parse_rows("x", 20).unwrap_err().to_string().contains("'x' is not a row number"));
        assert!(parse_rows(",", 20).is_err());
        assert!(parse_rows("0,1,", 20).unwrap_err().to_string().contains("empty item"));
        assert!(parse_rows("", 20).unwrap_err().to_string().contains("no rows"));
    }
}
