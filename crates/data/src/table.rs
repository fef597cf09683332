//! The loaded data set and the options that choose its columns.

use std::path::PathBuf;

use ndarray::{Array2, Axis};

use super::error::DataError;
use super::missing::MissingValues;

/// Which columns of a CSV file play which role. See [`load_csv`](super::load_csv).
///
/// Column roles: one optional label column, id columns (carried into reports), extra
/// columns (kept as raw strings: split key, weights, sequence key, order) and features.
/// Label, id and extra columns are never features.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The label column (required for training, optional when explaining).
    pub label: Option<String>,
    /// Feature globs (`*`, `?`); empty means every column that has no other role.
    pub features: Vec<String>,
    /// Globs removed from the feature set.
    pub exclude: Vec<String>,
    /// Id columns carried into reports (exact names, never features).
    pub ids: Vec<String>,
    /// Other columns kept as raw strings (exact names, never features).
    pub extra: Vec<String>,
    /// The exact feature list of a trained model: every one must exist and the features
    /// come out in this order. When set, `features` and `exclude` are ignored.
    pub required_features: Option<Vec<String>>,
    /// The class names of a trained model: labels are mapped to these indices and a label
    /// value outside them is an error. When `None`, classes come from the data.
    pub class_names: Option<Vec<String>>,
    /// The cell texts read as missing (default: pandas' tokens; `--na-values`).
    pub na_values: MissingValues,
}

/// A numeric table loaded from CSV: features as `f64` (missing = NaN), labels as class
/// indices, id and extra columns as raw strings. Rows are in file order.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The file the data came from (used in messages).
    pub path: PathBuf,
    /// Feature column names, in the order of the columns of `x`.
    pub feature_names: Vec<String>,
    /// `[rows, features]` raw values in file order; missing cells are NaN.
    pub x: Array2<f64>,
    /// Class index per row, when a label column was given.
    pub labels: Option<Vec<usize>>,
    /// Class names, indexed by class index (see [`load_csv`](super::load_csv) for the order).
    pub class_names: Vec<String>,
    /// Id column name → value per row.
    pub ids: Vec<(String, Vec<String>)>,
    /// Extra column name → raw value per row.
    pub extra: Vec<(String, Vec<String>)>,
    /// Number of missing cells per feature.
    pub missing: Vec<usize>,
    /// Non-fatal remarks made while loading (e.g. an exclude pattern that matched nothing).
    pub warnings: Vec<String>,
}

impl Dataset {
    /// Number of rows. The accessors below look columns up by name:
    ///
    /// ```
    /// # use glassbox_data::{load_csv_from_reader, LoadOptions};
    /// let csv = "track,date,speed,twist\nT1,2024-01-02,80,\nT2,2024-01-03,75,0.2\n";
    /// let opts = LoadOptions { ids: vec!["track".into()], extra: vec!["date".into()], ..Default::default() };
    /// let d = load_csv_from_reader(csv.as_bytes(), "mem.csv".as_ref(), &opts)?;
    /// assert_eq!((d.rows(), d.n_features()), (2, 2));
    /// assert_eq!(d.id_column("track"), Some(&["T1".to_string(), "T2".to_string()][..]));
    /// assert_eq!(d.extra_column("date").map(|v| v[1].as_str()), Some("2024-01-03"));
    /// assert_eq!(d.feature_index("twist"), Some(1));
    /// assert_eq!(d.total_missing(), 1);
    /// assert!(d.labels.is_none() && d.class_counts().is_empty());
    /// # Ok::<(), glassbox_data::DataError>(())
    /// ```
    pub fn rows(&self) -> usize {
        self.x.nrows()
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// The values of an extra column, if it was loaded.
    pub fn extra_column(&self, name: &str) -> Option<&[String]> {
        self.extra.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    /// The values of an id column, if it was loaded.
    pub fn id_column(&self, name: &str) -> Option<&[String]> {
        self.ids.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    /// Position of a feature in `feature_names`.
    pub fn feature_index(&self, name: &str) -> Option<usize> {
        self.feature_names.iter().position(|n| n == name)
    }

    /// Total number of missing feature cells.
    pub fn total_missing(&self) -> usize {
        self.missing.iter().sum()
    }

    /// A new data set holding the given rows, in the given order (e.g. one split).
    /// Class names are kept, so class indices keep their meaning; missing counts are
    /// recomputed for the selected rows.
    ///
    /// ```
    /// # use glassbox_data::{load_csv, LoadOptions};
    /// # let path = std::env::temp_dir().join(format!("glassbox-doc-select-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "a,y\n1,0\n,1\n3,0\n").unwrap();
    /// let opts = LoadOptions { label: Some("y".into()), ..Default::default() };
    /// let data = load_csv(&path, &opts)?;
    /// let part = data.select_rows(&[2, 1])?;
    /// assert_eq!(part.rows(), 2);
    /// assert_eq!(part.x[[0, 0]], 3.0);
    /// assert_eq!(part.labels.as_deref(), Some(&[0, 1][..]));
    /// assert_eq!(part.missing, vec![1]);
    /// assert!(data.select_rows(&[3]).is_err());
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), glassbox_data::DataError>(())
    /// ```
    pub fn select_rows(&self, rows: &[usize]) -> Result<Dataset, DataError> {
        let n = self.rows();
        if let Some(&bad) = rows.iter().find(|&&r| r >= n) {
            return Err(DataError::RowOutOfRange { row: bad, rows: n });
        }
        let x = self.x.select(Axis(0), rows);
        let missing = x.columns().into_iter().map(|c| c.iter().filter(|v| v.is_nan()).count()).collect();
        let pick = |v: &Vec<String>| rows.iter().map(|&r| v[r].clone()).collect::<Vec<_>>();
        Ok(Dataset {
            path: self.path.clone(),
            feature_names: self.feature_names.clone(),
            x,
            labels: self.labels.as_ref().map(|l| rows.iter().map(|&r| l[r]).collect()),
            class_names: self.class_names.clone(),
            ids: self.ids.iter().map(|(k, v)| (k.clone(), pick(v))).collect(),
            extra: self.extra.iter().map(|(k, v)| (k.clone(), pick(v))).collect(),
            missing,
            warnings: self.warnings.clone(),
        })
    }

    /// A new data set holding only the given feature columns, in the given order (e.g. the
    /// top-k features of a ranking). Rows, labels, ids and extra columns are kept.
    ///
    /// ```
    /// # use glassbox_data::{load_csv_from_reader, LoadOptions};
    /// let opts = LoadOptions { label: Some("y".into()), ..Default::default() };
    /// let data = load_csv_from_reader("a,b,c,y\n1,,3,0\n4,5,6,1\n".as_bytes(), "mem.csv".as_ref(), &opts)?;
    /// let part = data.select_features(&[2, 1])?;
    /// assert_eq!(part.feature_names, ["c", "b"]);
    /// assert_eq!(part.x.row(1).to_vec(), [6.0, 5.0]);
    /// assert_eq!(part.missing, [0, 1]);
    /// assert!(data.select_features(&[3]).is_err());
    /// # Ok::<(), glassbox_data::DataError>(())
    /// ```
    pub fn select_features(&self, columns: &[usize]) -> Result<Dataset, DataError> {
        let n = self.n_features();
        if let Some(&bad) = columns.iter().find(|&&c| c >= n) {
            return Err(DataError::FeatureOutOfRange { feature: bad, features: n });
        }
        Ok(Dataset {
            feature_names: columns.iter().map(|&c| self.feature_names[c].clone()).collect(),
            x: self.x.select(Axis(1), columns),
            missing: columns.iter().map(|&c| self.missing[c]).collect(),
            ..self.clone()
        })
    }

    /// Number of rows per class (empty when there are no labels).
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.class_names.len()];
        for &l in self.labels.iter().flatten() {
            if l < counts.len() {
                counts[l] += 1;
            }
        }
        counts
    }
}
