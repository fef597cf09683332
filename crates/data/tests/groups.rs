//! Groups files (SPEC §5): globs, singleton fill-in, overlaps, unmatched groups, TOML errors.

use std::path::Path;

use glassbox_data::{load_csv, DataError, FeatureGroups, LoadOptions};

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn fixture_groups_on_fixture_data() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let opts = LoadOptions {
        label: Some("fracture".into()),
        ids: vec!["section".into()],
        extra: vec!["run_date".into()],
        ..Default::default()
    };
    let data = load_csv(&dir.join("rail_small.csv"), &opts).unwrap();
    // Wagon_Speed, Wagon_Twist3m, Wagon_Twist10m, Axle1_Temp, Axle2_Temp, Rail_Profile
    let (g, warnings) = FeatureGroups::load(&dir.join("rail_groups.toml"), &data.feature_names).unwrap();
    assert_eq!(g.names, ["Twist", "Axle_Temperatures", "Wagon_Speed", "Rail_Profile"]);
    assert_eq!(g.members, [vec![1, 2], vec![3, 4], vec![0], vec![5]]);
    assert_eq!(g.sizes(), [2, 2, 1, 1]);
    assert_eq!(g.len(), 4);
    assert_eq!(g.group_of_feature(), [2, 0, 0, 1, 1, 3]);
    assert_eq!(g.member_names(&data.feature_names)[0], ["Wagon_Twist3m", "Wagon_Twist10m"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("\"Brakes\"") && warnings[0].contains("rail_groups.toml"), "{warnings:?}");
    g.validate(data.feature_names.len(), "test").unwrap();
}

#[test]
fn group_order_is_file_order_not_alphabetical() {
    let f = names(&["a1", "a2", "b", "c", "z"]);
    let text = "[groups]\nZulu = [\"z\"]\nAlpha = [\"a?\"]\nCharlie = [\"c\"]\n";
    let (g, w) = FeatureGroups::from_toml(text, "g.toml", &f).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(g.names, ["Zulu", "Alpha", "Charlie", "b"]);
    assert_eq!(g.members, [vec![4], vec![0, 1], vec![3], vec![2]]);
}

#[test]
fn singletons_are_appended_in_feature_order() {
    let f = names(&["x", "T1", "y", "T2", "w"]);
    let (g, _) = FeatureGroups::from_toml("[groups]\nT = [\"T*\"]\n", "g.toml", &f).unwrap();
    assert_eq!(g.names, ["T", "x", "y", "w"]);
    assert_eq!(g.members, [vec![1, 3], vec![0], vec![2], vec![4]]);
    // An empty groups table gives the default partition.
    let (g, _) = FeatureGroups::from_toml("[groups]\n", "g.toml", &f).unwrap();
    assert_eq!(g, FeatureGroups::singletons(&f));
}

#[test]
fn feature_in_two_groups_is_an_error_naming_both() {
    let f = names(&["Wagon_Twist3m", "Wagon_Speed"]);
    let text = "[groups]\nTwist = [\"Wagon_Twist*\"]\nWagon = [\"Wagon_*\"]\n";
    let err = FeatureGroups::from_toml(text, "groups.toml", &f).unwrap_err();
    assert!(
        matches!(&err, DataError::GroupOverlap { feature, first, second, .. }
            if feature == "Wagon_Twist3m" && first == "Twist" && second == "Wagon"),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.starts_with("groups.toml:") && msg.contains("\"Wagon_Twist3m\""), "{msg}");
    // The same feature twice within one group is fine.
    let (g, _) = FeatureGroups::from_toml("[groups]\nT = [\"Wagon_*\", \"Wagon_Speed\"]\n", "g", &f).unwrap();
    assert_eq!(g.members, [vec![0, 1]]);
}

#[test]
fn unmatched_groups_and_patterns_warn() {
    let f = names(&["a", "b"]);
    let text = "[groups]\nGone = [\"zz*\"]\nAB = [\"a\", \"typo\", \"b\"]\nEmpty = []\n";
    let (g, w) = FeatureGroups::from_toml(text, "g.toml", &f).unwrap();
    assert_eq!(g.names, ["AB"]);
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w.iter().any(|m| m.contains("\"Gone\"") && m.contains("dropped")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("\"typo\"")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("\"Empty\"")), "{w:?}");
}

#[test]
fn invalid_toml_names_the_file_and_line() {
    let path = std::env::temp_dir().join(format!("glassbox-data-groups-{}-bad.toml", std::process::id()));
    std::fs::write(&path, "[groups]\nTwist = [\"Wagon_Twist*\"\nSpeed = [\"Speed\"]\n").unwrap();
    let err = FeatureGroups::load(&path, &names(&["Speed"])).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(matches!(err, DataError::GroupsToml { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()) && msg.contains("invalid TOML"), "{msg}");
    assert!(msg.contains("line "), "{msg}");

    let err = FeatureGroups::from_toml("[groups]\nA = [\"x\"]\nA = [\"y\"]\n", "dup.toml", &names(&["x"])).unwrap_err();
    assert!(err.to_string().starts_with("dup.toml: invalid TOML"), "{err}");

    let err = FeatureGroups::load(Path::new("/nonexistent/glassbox/groups.toml"), &names(&["x"])).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }) && err.to_string().contains("groups.toml"), "{err}");
}

#[test]
fn group_named_like_an_ungrouped_feature_is_rejected() {
    let f = names(&["Speed", "Speed_2"]);
    let err = FeatureGroups::from_toml("[groups]\nSpeed = [\"Speed_2\"]\n", "g.toml", &f).unwrap_err();
    assert!(err.to_string().contains("\"Speed\""), "{err}");
    // Naming a group after a feature it contains is fine.
    let (g, _) = FeatureGroups::from_toml("[groups]\nSpeed = [\"Speed*\"]\n", "g.toml", &f).unwrap();
    assert_eq!(g.names, ["Speed"]);
}

#[test]
fn serde_round_trip_and_validate() {
    let f = names(&["a", "b", "c"]);
    let (g, _) = FeatureGroups::from_toml("[groups]\nBC = [\"b\", \"c\"]\n", "g.toml", &f).unwrap();
    let json = serde_json::to_string(&g).unwrap();
    let back: FeatureGroups = serde_json::from_str(&json).unwrap();
    assert_eq!(back, g);
    assert!(g.validate(3, "m").is_ok());
    assert!(g.validate(4, "m").unwrap_err().to_string().contains("feature 3 is in no group"));
    assert!(g.validate(2, "m").is_err());
    let dup = FeatureGroups { names: names(&["x", "x"]), members: vec![vec![0], vec![1]] };
    assert!(dup.validate(2, "m").unwrap_err().to_string().contains("twice"));
}

/// A groups file of 100,000 groups over 10,000 features (one group per
/// feature named by its exact name, and 90,000 that match nothing): it
/// loads (lines found by binary search, literal names by hash), with one
/// summary warning for the dropped groups instead of one line each.
#[test]
fn a_hundred_thousand_groups_load_with_one_summary_warning() {
    let f: Vec<String> = (0..10_000).map(|i| format!("f{i}")).collect();
    let mut text = String::from("[groups]\n");
    for i in 0..100_000 {
        if i < 10_000 {
            text.push_str(&format!("g{i} = [\"f{i}\"]\n"));
        } else {
            text.push_str(&format!("g{i} = [\"absent{i}\", \"x{i}*\"]\n"));
        }
    }
    let (g, warnings) = FeatureGroups::from_toml(&text, "big.toml", &f).unwrap();
    assert_eq!(g.len(), 10_000);
    assert_eq!(g.members[1234], vec![1234]);
    assert_eq!(warnings.len(), 1, "{:?}", &warnings[..warnings.len().min(3)]);
    assert!(warnings[0].contains("90000 groups match no feature"), "{}", warnings[0]);
    g.validate(f.len(), "big.toml").unwrap();
}
