//! Class labels (SPEC §5): raw label texts → class indices, with the class
//! names in index order (numeric order when every name is a number).

use std::collections::HashMap;
use std::path::Path;

use super::error::DataError;

/// Parses a label or order value as a number for sorting; `None` if it is not one.
pub(crate) fn as_number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| !v.is_nan())
}

/// Maps raw label strings to class indices, with the class names in index order.
pub(crate) fn label_indices(
    path: &Path,
    column: &str,
    raw: &[String],
    fixed: Option<&[String]>,
) -> Result<(Vec<usize>, Vec<String>), DataError> {
    let names: Vec<String> = match fixed {
        Some(names) => names.to_vec(),
        None => sorted_class_names(raw),
    };
    let exact: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let numeric: Vec<Option<f64>> = names.iter().map(|n| as_number(n)).collect();
    let mut labels = Vec::with_capacity(raw.len());
    for (row, value) in raw.iter().enumerate() {
        let idx = exact.get(value.as_str()).copied().or_else(|| {
            // A trained model's "1" also accepts "1.0" written by another tool.
            let v = as_number(value)?;
            numeric.iter().position(|n| *n == Some(v))
        });
        match idx {
            Some(i) => labels.push(i),
            None => {
                return Err(DataError::UnknownLabel {
                    path: path.to_path_buf(),
                    row,
                    column: column.to_string(),
                    value: value.clone(),
                    classes: super::error::name_list(&names),
                })
            }
        }
    }
    Ok((labels, names))
}

/// Distinct values, numerically sorted if all are numbers, else lexicographically.
fn sorted_class_names(raw: &[String]) -> Vec<String> {
    let mut names: Vec<String> = raw.to_vec();
    names.sort_unstable();
    names.dedup();
    let nums: Option<Vec<f64>> = names.iter().map(|n| as_number(n)).collect();
    if let Some(nums) = nums {
        let mut pairs: Vec<(f64, String)> = nums.into_iter().zip(names).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        names = pairs.into_iter().map(|(_, n)| n).collect();
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_name_order() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(sorted_class_names(&s(&["10", "2", "1", "2"])), s(&["1", "2", "10"]));
        assert_eq!(sorted_class_names(&s(&["-1", "0.5", "-3"])), s(&["-3", "-1", "0.5"]));
        assert_eq!(sorted_class_names(&s(&["b", "10", "a", "2"])), s(&["10", "2", "a", "b"]));
        assert_eq!(sorted_class_names(&s(&["signal", "background"])), s(&["background", "signal"]));
    }

    #[test]
    fn fixed_classes_map_and_reject() {
        let names = vec!["0".to_string(), "1".to_string()];
        let raw = vec!["1".to_string(), "1.0".to_string(), "0".to_string()];
        let (l, n) = label_indices(Path::new("f.csv"), "y", &raw, Some(&names)).unwrap();
        assert_eq!(l, vec![1, 1, 0]);
        assert_eq!(n, names);
        let raw = vec!["0".to_string(), "2".to_string()];
        let e = label_indices(Path::new("f.csv"), "y", &raw, Some(&names)).unwrap_err().to_string();
        assert!(e.contains("row 1") && e.contains("\"y\"") && e.contains("\"2\""), "{e}");
    }
}
