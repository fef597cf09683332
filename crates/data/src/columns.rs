//! Giving each header column its role: label, id, extra or feature (SPEC §5).

use std::collections::HashMap;
use std::path::Path;

use super::error::{name_list, DataError};
use super::glob::{check_pattern, glob_match};
use super::table::LoadOptions;

/// How the feature set was chosen (drives the advice in a non-numeric cell error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeatureOrigin {
    /// No `features` given: every column without another role.
    Default,
    /// Chosen by `features` globs.
    Patterns,
    /// A trained model's exact list.
    Required,
}

/// Header positions of each role.
#[derive(Debug)]
pub(crate) struct Columns {
    pub label: Option<usize>,
    pub ids: Vec<usize>,
    pub extra: Vec<usize>,
    pub features: Vec<usize>,
    pub origin: FeatureOrigin,
    pub warnings: Vec<String>,
}

/// Checks the header (no empty or duplicate names) and resolves `opts` against it.
pub(crate) fn resolve_columns(path: &Path, header: &[String], opts: &LoadOptions) -> Result<Columns, DataError> {
    let p = || path.to_path_buf();
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            return Err(DataError::EmptyColumnName { path: p(), index: i });
        }
        if let Some(&first) = index.get(name.as_str()) {
            return Err(DataError::DuplicateColumn { path: p(), name: name.clone(), first, second: i });
        }
        index.insert(name, i);
    }
    let find = |name: &str, role: &'static str| {
        index.get(name).copied().ok_or_else(|| DataError::MissingColumn {
            path: p(),
            name: name.to_string(),
            role,
            available: name_list(header),
        })
    };

    let label = opts.label.as_deref().map(|l| find(l, "label")).transpose()?;
    let ids = opts.ids.iter().map(|c| find(c, "id")).collect::<Result<Vec<_>, _>>()?;
    let extra = opts.extra.iter().map(|c| find(c, "extra")).collect::<Result<Vec<_>, _>>()?;
    if let Some(l) = label {
        if ids.contains(&l) {
            return Err(DataError::RoleConflict {
                path: p(),
                column: header[l].clone(),
                first: "the label",
                second: "an id",
            });
        }
    }
    let mut reserved = vec![false; header.len()];
    for &c in label.iter().chain(&ids).chain(&extra) {
        reserved[c] = true;
    }

    let mut warnings = Vec::new();
    let (features, origin) = if let Some(required) = &opts.required_features {
        let mut features = Vec::with_capacity(required.len());
        for name in required {
            let c = find(name, "model feature")?;
            if Some(c) == label {
                return Err(DataError::RoleConflict {
                    path: p(),
                    column: name.clone(),
                    first: "the label",
                    second: "a model feature",
                });
            }
            features.push(c);
        }
        (features, FeatureOrigin::Required)
    } else {
        for pat in opts.features.iter().chain(&opts.exclude) {
            check_pattern(pat)?;
        }
        let mut chosen: Vec<bool> = reserved.iter().map(|r| !r).collect();
        let origin = if opts.features.is_empty() {
            FeatureOrigin::Default
        } else {
            let mut matched = vec![false; header.len()];
            for pat in &opts.features {
                let mut any = false;
                for (c, name) in header.iter().enumerate() {
                    if !reserved[c] && glob_match(pat, name) {
                        matched[c] = true;
                        any = true;
                    }
                }
                if !any {
                    let hits_reserved = header.iter().any(|name| glob_match(pat, name));
                    return Err(DataError::UnmatchedFeature {
                        path: p(),
                        pattern: pat.clone(),
                        what: if hits_reserved {
                            "column other than the label, id and extra columns"
                        } else {
                            "column"
                        },
                        available: name_list(header),
                    });
                }
            }
            chosen = matched;
            FeatureOrigin::Patterns
        };
        for pat in &opts.exclude {
            let mut any = false;
            for (c, name) in header.iter().enumerate() {
                if glob_match(pat, name) {
                    chosen[c] = false;
                    any = true;
                }
            }
            if !any {
                warnings.push(format!("{}: exclude pattern {pat:?} matches no column", path.display()));
            }
        }
        let features: Vec<usize> = (0..header.len()).filter(|&c| chosen[c]).collect();
        if features.is_empty() {
            let n_reserved = reserved.iter().filter(|&&r| r).count();
            return Err(DataError::NoFeatures {
                path: p(),
                detail: format!(
                    "{} columns, {} of them label/id/extra, features {:?}, excluded {:?}",
                    header.len(),
                    n_reserved,
                    opts.features,
                    opts.exclude
                ),
            });
        }
        (features, origin)
    };
    Ok(Columns { label, ids, extra, features, origin, warnings })
}

/// The numeric-only rule of the default feature set (no `features` given): keeps the feature
/// columns whose present cells are all numbers (`text[j]` is whether feature `j` holds a
/// non-number), notes the others in one warning line, and returns the kept positions `j`.
/// Every reader (CSV, in-memory, Parquet/Arrow) applies it.
pub(crate) fn keep_numeric(
    path: &Path,
    header: &[String],
    cols: &mut Columns,
    text: &[bool],
) -> Result<Vec<usize>, DataError> {
    let (kept, left): (Vec<usize>, Vec<usize>) = (0..cols.features.len()).partition(|&j| !text[j]);
    if !left.is_empty() {
        let list: Vec<&str> = left.iter().map(|&j| header[cols.features[j]].as_str()).collect();
        cols.warnings.push(format!("non-numeric columns left out of the features: {}", list.join(", ")));
    }
    if kept.is_empty() {
        return Err(DataError::NoFeatures { path: path.to_path_buf(), detail: "no column holds numbers".into() });
    }
    cols.features = kept.iter().map(|&j| cols.features[j]).collect();
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn default_features_skip_roles() {
        let h = header(&["id", "a", "y", "key", "b"]);
        let opts = LoadOptions {
            label: Some("y".into()),
            ids: vec!["id".into()],
            extra: vec!["key".into()],
            ..Default::default()
        };
        let c = resolve_columns(Path::new("f.csv"), &h, &opts).unwrap();
        assert_eq!(c.features, vec![1, 4]);
        assert_eq!(c.label, Some(2));
        assert_eq!(c.origin, FeatureOrigin::Default);
    }

    #[test]
    fn glob_reaching_only_reserved_columns_says_so() {
        let h = header(&["Wagon_Label", "a"]);
        let opts =
            LoadOptions { label: Some("Wagon_Label".into()), features: vec!["Wagon_*".into()], ..Default::default() };
        let e = resolve_columns(Path::new("f.csv"), &h, &opts).unwrap_err().to_string();
        assert!(e.contains("\"Wagon_*\"") && e.contains("other than the label"), "{e}");
    }

    #[test]
    fn label_cannot_be_id_or_model_feature() {
        let h = header(&["a", "y"]);
        let opts = LoadOptions { label: Some("y".into()), ids: vec!["y".into()], ..Default::default() };
        assert!(matches!(resolve_columns(Path::new("f"), &h, &opts), Err(DataError::RoleConflict { .. })));
        let opts =
            LoadOptions { label: Some("y".into()), required_features: Some(vec!["y".into()]), ..Default::default() };
        let e = resolve_columns(Path::new("f"), &h, &opts).unwrap_err().to_string();
        assert!(e.contains("\"y\"") && e.contains("model feature"), "{e}");
    }
}
