//! `--rows 0,3,10-20`: row numbers from 0 in file order (header excluded),
//! single numbers and inclusive ranges, in the order given.

use anyhow::{bail, Result};

/// Parses a row list against the file's row count.
pub fn parse_rows(spec: &str, rows: usize) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let num = |s: &str| -> Result<usize> {
            match s.trim().parse::<usize>() {
                Ok(v) => Ok(v),
                Err(_) => bail!("--rows: '{s}' is not a row number"),
            }
        };
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (num(a)?, num(b)?),
            None => (num(part)?, num(part)?),
        };
        if a > b {
            bail!("--rows: range {part} runs backwards");
        }
        if b >= rows {
            bail!(
                "--rows: row {b} is past the end (the file has {rows} rows, numbered 0 to {})",
                rows.saturating_sub(1)
            );
        }
        out.extend(a..=b);
    }
    if out.is_empty() {
        bail!("--rows: no rows given");
    }
    Ok(out)
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
    }
}
