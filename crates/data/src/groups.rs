//! Feature groups for the group lasso (SPEC §3, §5): a partition of the features, read
//! from a TOML file
//!
//! ```toml
//! [groups]
//! Twist = ["Wagon_Twist*"]
//! Axles = ["Axle?_Temp", "Axle_Load"]
//! ```
//!
//! Group order is the order of the entries in the file. The `toml` crate's tables sort
//! keys unless its `preserve_order` feature is on, so instead of relying on a feature
//! flag this module parses to `toml::de::DeTable`, whose keys carry their byte spans,
//! and orders the entries by where they start in the text.

use std::path::Path;

use super::error::DataError;
use super::glob::glob_match;

/// A partition of the features into named groups. `members[g]` holds indices into the
/// feature names, in feature order; every feature is in exactly one group.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeatureGroups {
    /// Group names, in group order.
    pub names: Vec<String>,
    /// Feature indices of each group.
    pub members: Vec<Vec<usize>>,
}

impl FeatureGroups {
    /// One group per feature, named after it (the default partition).
    ///
    /// ```
    /// use glassbox_data::FeatureGroups;
    /// let g = FeatureGroups::singletons(&["a".to_string(), "b".to_string()]);
    /// assert_eq!(g.names, ["a", "b"]);
    /// assert_eq!(g.members, [vec![0], vec![1]]);
    /// ```
    pub fn singletons(feature_names: &[String]) -> Self {
        FeatureGroups { names: feature_names.to_vec(), members: (0..feature_names.len()).map(|f| vec![f]).collect() }
    }

    /// Parses a groups file's text. `source` names the file in messages.
    ///
    /// Each entry of the `[groups]` table is `Name = ["glob or exact name", ...]`. Features
    /// no group names become singleton groups (named after the feature), appended after the
    /// file's groups in feature order. A feature matched by two groups is an error; a group
    /// matching no feature is dropped with a warning (a shared groups file may name
    /// channels a model does not use), and so is each single pattern matching nothing.
    ///
    /// ```
    /// use glassbox_data::FeatureGroups;
    /// let features: Vec<String> = ["Speed", "Twist_L", "Twist_R", "Load"].map(String::from).to_vec();
    /// let text = "[groups]\nTwist = [\"Twist_*\"]\nBrakes = [\"Brake*\"]\n";
    /// let (g, warnings) = FeatureGroups::from_toml(text, "groups.toml", &features)?;
    /// assert_eq!(g.names, ["Twist", "Speed", "Load"]);
    /// assert_eq!(g.members, [vec![1, 2], vec![0], vec![3]]);
    /// assert_eq!(warnings.len(), 1); // "Brakes" matches nothing
    /// # Ok::<(), glassbox_data::DataError>(())
    /// ```
    pub fn from_toml(text: &str, source: &str, feature_names: &[String]) -> Result<(Self, Vec<String>), DataError> {
        let entries = parse_entries(text, source)?;
        let mut warnings = entries.warnings;
        let mut owner: Vec<Option<usize>> = vec![None; feature_names.len()];
        let mut names: Vec<String> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        // Features by name, for prefix and exact lookups (100k groups in seconds, not minutes).
        let mut sorted: Vec<(&str, usize)> = feature_names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        sorted.sort_unstable();
        let (mut dropped, mut unmatched_patterns) = (Vec::new(), Vec::new());
        for (name, patterns) in entries.groups {
            let mut group: Vec<usize> = Vec::new();
            let mut unmatched = Vec::new();
            for pat in &patterns {
                let before = group.len();
                if crate::glob::is_glob(pat) {
                    // Only the names that start with the pattern's literal prefix can match.
                    let prefix = &pat[..pat.find(['*', '?']).unwrap_or(pat.len())];
                    let from = sorted.partition_point(|(n, _)| *n < prefix);
                    let candidates = sorted[from..].iter().take_while(|(n, _)| n.starts_with(prefix));
                    group.extend(candidates.filter(|(n, _)| glob_match(pat, n)).map(|&(_, i)| i));
                } else {
                    let from = sorted.partition_point(|(n, _)| *n < pat.as_str());
                    group.extend(sorted[from..].iter().take_while(|(n, _)| *n == pat.as_str()).map(|&(_, i)| i));
                }
                if group.len() == before {
                    unmatched.push(pat.clone());
                }
            }
            group.sort_unstable();
            group.dedup();
            if group.is_empty() {
                dropped.push(name);
                continue;
            }
            for pat in unmatched {
                unmatched_patterns.push(format!("{pat:?} in group {name:?}"));
            }
            let g = names.len();
            for &f in &group {
                if let Some(other) = owner[f] {
                    return Err(DataError::GroupOverlap {
                        file: source.to_string(),
                        feature: feature_names[f].clone(),
                        first: names[other].clone(),
                        second: name,
                    });
                }
                owner[f] = Some(g);
            }
            names.push(name);
            members.push(group);
        }
        warnings.extend(summary(
            source,
            "group",
            "matches no feature and is dropped",
            "match no feature and are dropped",
            &dropped,
        ));
        warnings.extend(summary(source, "pattern", "matches no feature", "match no feature", &unmatched_patterns));
        let group_index: std::collections::HashMap<String, usize> =
            names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        for (f, feature) in feature_names.iter().enumerate() {
            if owner[f].is_none() {
                if let Some(&g) = group_index.get(feature) {
                    return Err(DataError::GroupsToml {
                        file: source.to_string(),
                        message: format!(
                            "group {:?} has the name of feature {feature:?}, which it does not contain \
                             (the feature would get a singleton group of the same name); rename the group",
                            names[g]
                        ),
                    });
                }
                names.push(feature.clone());
                members.push(vec![f]);
            }
        }
        Ok((FeatureGroups { names, members }, warnings))
    }

    /// Reads and parses a groups file (see [`FeatureGroups::from_toml`]); messages name the
    /// file by its path.
    ///
    /// ```
    /// use glassbox_data::FeatureGroups;
    /// let path = std::env::temp_dir().join(format!("glassbox-doc-groups-{}.toml", std::process::id()));
    /// std::fs::write(&path, "[groups]\nAxles = [\"Axle?_Temp\"]\n").unwrap();
    /// let features: Vec<String> = ["Axle1_Temp", "Speed", "Axle2_Temp"].map(String::from).to_vec();
    /// let (g, _) = FeatureGroups::load(&path, &features)?;
    /// assert_eq!(g.names, ["Axles", "Speed"]);
    /// assert_eq!(g.sizes(), [2, 1]);
    /// assert_eq!(g.group_of_feature(), [0, 1, 0]);
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), glassbox_data::DataError>(())
    /// ```
    pub fn load(path: &Path, feature_names: &[String]) -> Result<(Self, Vec<String>), DataError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
        Self::from_toml(&text, &path.display().to_string(), feature_names)
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no groups (only when there are no features).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Number of features in each group (the p_g of the penalty).
    pub fn sizes(&self) -> Vec<usize> {
        self.members.iter().map(Vec::len).collect()
    }

    /// The group of each feature, indexed by feature.
    pub fn group_of_feature(&self) -> Vec<usize> {
        let n = self.members.iter().flatten().map(|&f| f + 1).max().unwrap_or(0);
        let mut out = vec![0; n];
        for (g, m) in self.members.iter().enumerate() {
            for &f in m {
                out[f] = g;
            }
        }
        out
    }

    /// The partition of a feature subset: `kept[i]` is the old index of new feature `i`;
    /// groups keep their names and order, restricted to kept features, and groups with
    /// no kept feature disappear.
    ///
    /// ```
    /// use glassbox_data::FeatureGroups;
    /// let g = FeatureGroups { names: vec!["a".into(), "b".into()], members: vec![vec![0, 2], vec![1]] };
    /// let r = g.restrict(&[2, 0]);
    /// assert_eq!(r.names, ["a"]);
    /// assert_eq!(r.members, [vec![0, 1]]);
    /// ```
    pub fn restrict(&self, kept: &[usize]) -> FeatureGroups {
        let mut names = Vec::new();
        let mut members = Vec::new();
        for (name, m) in self.names.iter().zip(&self.members) {
            let mut new: Vec<usize> = (0..kept.len()).filter(|&i| m.contains(&kept[i])).collect();
            new.sort_unstable();
            if !new.is_empty() {
                names.push(name.clone());
                members.push(new);
            }
        }
        FeatureGroups { names, members }
    }

    /// Feature names of each group.
    pub fn member_names(&self, feature_names: &[String]) -> Vec<Vec<String>> {
        self.members.iter().map(|m| m.iter().filter_map(|&f| feature_names.get(f).cloned()).collect()).collect()
    }

    /// Checks that this is a partition of `n_features` features with distinct non-empty
    /// group names (e.g. after reading it from a model file). `source` names the origin.
    ///
    /// ```
    /// use glassbox_data::FeatureGroups;
    /// let g = FeatureGroups { names: vec!["a".into(), "b".into()], members: vec![vec![0, 1], vec![1]] };
    /// assert!(g.validate(2, "model.glt").unwrap_err().to_string().contains("feature 1"));
    /// ```
    pub fn validate(&self, n_features: usize, source: &str) -> Result<(), DataError> {
        let bad = |message: String| Err(DataError::GroupsToml { file: source.to_string(), message });
        if self.names.len() != self.members.len() {
            return bad(format!("{} group names but {} member lists", self.names.len(), self.members.len()));
        }
        let mut seen: Vec<Option<usize>> = vec![None; n_features];
        let mut names = std::collections::HashSet::new();
        for (g, m) in self.members.iter().enumerate() {
            if m.is_empty() {
                return bad(format!("group {:?} is empty", self.names[g]));
            }
            if !names.insert(&self.names[g]) {
                return bad(format!("group name {:?} appears twice", self.names[g]));
            }
            for &f in m {
                match seen.get(f) {
                    None => return bad(format!("group {:?} names feature {f} of {n_features}", self.names[g])),
                    Some(Some(o)) => {
                        return bad(format!("feature {f} is in groups {:?} and {:?}", self.names[*o], self.names[g]))
                    }
                    Some(None) => seen[f] = Some(g),
                }
            }
        }
        if let Some(f) = seen.iter().position(Option::is_none) {
            return bad(format!("feature {f} is in no group"));
        }
        Ok(())
    }
}

/// One warning for a list of like remarks: each item when there are at
/// most three, else their count and the first three.
fn summary(source: &str, what: &str, one: &str, many: &str, items: &[String]) -> Vec<String> {
    let quoted = |i: &String| if what == "group" { format!("{i:?}") } else { i.clone() };
    match items.len() {
        0 => Vec::new(),
        1..=3 => items.iter().map(|i| format!("{source}: {what} {} {one}", quoted(i))).collect(),
        n => {
            let first: Vec<String> = items[..3].iter().map(quoted).collect();
            vec![format!("{source}: {n} {what}s {many} (the first: {}, …)", first.join(", "))]
        }
    }
}

/// The `[groups]` entries in file order, plus warnings about ignored top-level keys.
#[derive(Debug)]
struct Entries {
    groups: Vec<(String, Vec<String>)>,
    warnings: Vec<String>,
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Lines of byte offsets, by binary search over the line starts (a groups
/// file of 100k groups asks for 100k of them).
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Lines(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).collect())
    }

    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| nl < offset) + 1
    }
}

fn parse_entries(text: &str, source: &str) -> Result<Entries, DataError> {
    use toml::de::{DeTable, DeValue};
    let err = |message: String| DataError::GroupsToml { file: source.to_string(), message };
    let root = DeTable::parse(text).map_err(|e| {
        let at = e.span().map(|s| format!("line {}: ", line_of(text, s.start))).unwrap_or_default();
        err(format!("invalid TOML: {at}{}", e.message().trim()))
    })?;
    let mut warnings = Vec::new();
    let mut groups_table = None;
    for (key, value) in root.get_ref().iter() {
        if key.get_ref().as_ref() == "groups" {
            groups_table = Some(value);
        } else {
            warnings.push(format!(
                "{source}: line {}: top-level key {:?} is ignored (only [groups] is read)",
                line_of(text, key.span().start),
                key.get_ref()
            ));
        }
    }
    let Some(groups_value) = groups_table else {
        return Err(err("no [groups] table (expected `[groups]` then lines like `Twist = [\"Wagon_Twist*\"]`)".into()));
    };
    let DeValue::Table(table) = groups_value.get_ref() else {
        return Err(err(format!(
            "line {}: `groups` must be a table, found a {}",
            line_of(text, groups_value.span().start),
            groups_value.get_ref().type_str()
        )));
    };
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    let lines = Lines::new(text);
    let mut groups = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let name = key.get_ref().to_string();
        let line = lines.of(key.span().start);
        if name.trim().is_empty() {
            return Err(err(format!("line {line}: a group has an empty name")));
        }
        let DeValue::Array(items) = value.get_ref() else {
            return Err(err(format!(
                "line {line}: group {name:?} must be a list of feature names or globs, found a {}",
                value.get_ref().type_str()
            )));
        };
        let mut patterns = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => patterns.push(s.to_string()),
                DeValue::String(_) => {
                    return Err(err(format!("line {line}: group {name:?}, entry {i} is an empty pattern")))
                }
                other => {
                    return Err(err(format!(
                        "line {line}: group {name:?}, entry {i} must be a string, found a {}",
                        other.type_str()
                    )))
                }
            }
        }
        groups.push((name, patterns));
    }
    Ok(Entries { groups, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_file_order() {
        let text = "[groups]\nZeta = [\"z\"]\nAlpha = [\"a\", \"b*\"]\nMid = [\"m\"]\n";
        let e = parse_entries(text, "g.toml").unwrap();
        let names: Vec<_> = e.groups.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Zeta", "Alpha", "Mid"]);
        assert_eq!(e.groups[1].1, ["a", "b*"]);
    }

    #[test]
    fn shape_errors_name_line_and_group() {
        let e = parse_entries("[groups]\nA = [\"x\"]\nB = \"y\"\n", "g.toml").unwrap_err().to_string();
        assert!(e.starts_with("g.toml: line 3") && e.contains("\"B\""), "{e}");
        let e = parse_entries("[groups]\nA = [\"x\", 3]\n", "g.toml").unwrap_err().to_string();
        assert!(e.contains("entry 1") && e.contains("\"A\""), "{e}");
        let e = parse_entries("[other]\nA = [\"x\"]\n", "g.toml").unwrap_err().to_string();
        assert!(e.contains("no [groups] table"), "{e}");
        let e = parse_entries("groups = 1\n", "g.toml").unwrap_err().to_string();
        assert!(e.contains("must be a table"), "{e}");
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
