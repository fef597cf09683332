//! `synth railway`: determinism, layout, label rate, missing cells, scales, ground truth.

mod common;
use common::*;
use std::collections::BTreeSet;

const WAGON_CHANNELS: usize = 31;

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = scratch("rail-det");
    let (a_csv, a_json) = generate(&dir, "railway", 3000, 5, "a");
    let (b_csv, b_json) = generate(&dir, "railway", 3000, 5, "b");
    let (c_csv, c_json) = generate(&dir, "railway", 3000, 6, "c");
    let read = |p: &std::path::Path| std::fs::read(p).unwrap();
    assert_eq!(read(&a_csv), read(&b_csv));
    assert_eq!(read(&a_json), read(&b_json));
    assert_ne!(read(&a_csv), read(&c_csv));
    assert_ne!(read(&a_json), read(&c_json));
}

#[test]
fn header_row_count_order_and_keys() {
    let dir = scratch("rail-layout");
    for rows in [1, 7, 99, 101, 2345] {
        let (csv, _) = generate(&dir, "railway", rows, 1, &format!("r{rows}"));
        let t = Table::read(&csv);
        assert_eq!(&t.header[..4], ["Tc_BaseCode", "Tc_SectionBreakStartKM", "Tc_date", "Tc_target"]);
        assert_eq!(t.header.len(), 4 + WAGON_CHANNELS);
        assert!(t.header[4..].iter().all(|h| h.starts_with("Wagon_")));
        assert_eq!(t.rows.len(), rows, "exactly --rows rows");
        let mut previous: Option<(String, f64, String)> = None;
        for r in &t.rows {
            assert_eq!(r.len(), t.header.len());
            assert!(["ARTC-10", "ARTC-11", "ARTC-12", "ARTC-13"].contains(&r[0].as_str()));
            let km: f64 = r[1].parse().unwrap();
            let hundredths = (km * 100.0).round();
            assert!((km * 100.0 - hundredths).abs() < 1e-6 && hundredths as i64 % 2 == 0, "20 m sections: {km}");
            let d = r[2].as_bytes();
            assert!(d.len() == 10 && d[4] == b'-' && d[7] == b'-', "ISO date: {}", r[2]);
            assert!(r[3] == "0" || r[3] == "1");
            let key = (r[0].clone(), km, r[2].clone());
            if let Some(p) = &previous {
                assert!(p.partial_cmp(&key) == Some(std::cmp::Ordering::Less), "sorted by code, km, date");
            }
            previous = Some(key);
        }
    }
}

#[test]
fn positive_rate_in_band_for_20000_rows() {
    // Stated band: 7 %..13 % (tuned for ~10 %; seeds 1..10 measure 9.3 %..11.6 %).
    let dir = scratch("rail-rate");
    for seed in [1, 42] {
        let (csv, json_path) = generate(&dir, "railway", 20_000, seed, &format!("s{seed}"));
        let t = Table::read(&csv);
        let c = t.col("Tc_target");
        let rate = t.rows.iter().filter(|r| r[c] == "1").count() as f64 / t.rows.len() as f64;
        assert!((0.07..=0.13).contains(&rate), "seed {seed}: positive rate {rate}");
        let truth = json(&json_path);
        assert_eq!(truth["positive_rate"].as_f64().unwrap(), rate);
        // Several sections, many runs each, several years of recordings.
        let sections: BTreeSet<(&str, &str)> = t.rows.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
        assert_eq!(sections.len(), truth["sections"].as_u64().unwrap() as usize);
        assert!(sections.len() >= 100);
        let (first, last) = (t.rows.iter().map(|r| &r[2]).min().unwrap(), t.rows.iter().map(|r| &r[2]).max().unwrap());
        assert!(first.as_str() < "2018-02-01" && last.as_str() > "2021-01-01", "{first}..{last}");
    }
}

#[test]
fn missing_cells_only_in_wagon_channels_at_about_one_percent() {
    let dir = scratch("rail-missing");
    let (csv, json_path) = generate(&dir, "railway", 10_000, 3, "m");
    let t = Table::read(&csv);
    let mut missing = 0usize;
    for r in &t.rows {
        assert!(r[..4].iter().all(|v| !v.is_empty()), "key/target cells are never missing");
        missing += r[4..].iter().filter(|v| v.is_empty()).count();
    }
    let rate = missing as f64 / (t.rows.len() * WAGON_CHANNELS) as f64;
    assert!((0.008..=0.012).contains(&rate), "missing rate {rate}");
    assert!((json(&json_path)["missing_rate"].as_f64().unwrap() - rate).abs() < 1e-12);
}

#[test]
fn scales_are_realistic() {
    let dir = scratch("rail-scales");
    let (csv, _) = generate(&dir, "railway", 20_000, 4, "s");
    let t = Table::read(&csv);
    let all = |_: &[String]| true;
    let speed = t.values("Wagon_Speed", all);
    assert!((mean(&speed) - 35.0).abs() < 2.0, "speed mean {}", mean(&speed));
    assert!((sd(&speed) - 11.0).abs() < 1.5, "speed sd {}", sd(&speed));
    assert!(speed.iter().all(|&v| v > 0.0));
    for name in t.header.iter().filter(|h| h.starts_with("Wagon_Acc") || h.starts_with("Wagon_VACC")) {
        let x = t.values(name, all);
        assert!(x.iter().all(|&v| v >= 0.0), "{name} has negative values");
        assert!(mean(&x) > 1.1 * median(&x), "{name} is not right-skewed");
    }
    let twist_sd = sd(&t.values("Wagon_Twist14m", |r| r[3] == "0"));
    assert!((5.0..10.0).contains(&twist_sd), "Twist14m sd {twist_sd}");
    let bounce_sd = sd(&t.values("Wagon_BounceFrt", |r| r[3] == "0"));
    assert!((0.2..0.45).contains(&bounce_sd), "BounceFrt sd {bounce_sd}");
    let curvature = t.values("Wagon_Curvature", all);
    assert!(mean(&curvature).abs() < 5e-4 && (2e-4..1e-3).contains(&sd(&curvature)));
    // Speed raises acceleration, not twist.
    assert!(correlation(&t, "Wagon_Speed", "Wagon_Acc1") > 0.3);
    assert!(correlation(&t, "Wagon_Speed", "Wagon_Twist14m").abs() < 0.05);
}

fn median(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn correlation(t: &Table, a: &str, b: &str) -> f64 {
    let (ia, ib) = (t.col(a), t.col(b));
    let pairs: Vec<(f64, f64)> = t
        .rows
        .iter()
        .filter(|r| !r[ia].is_empty() && !r[ib].is_empty())
        .map(|r| (r[ia].parse().unwrap(), r[ib].parse().unwrap()))
        .collect();
    let (x, y): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
    let (mx, my) = (mean(&x), mean(&y));
    let cov = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum::<f64>() / (x.len() - 1) as f64;
    cov / (sd(&x) * sd(&y))
}

#[test]
fn truth_lists_every_channel_once_and_defect_channels_separate() {
    let dir = scratch("rail-truth");
    let (csv, json_path) = generate(&dir, "railway", 20_000, 9, "t");
    let header = Table::read(&csv).header;
    let truth = json(&json_path);
    assert_eq!(truth["kind"], "railway");
    assert_eq!(truth["label"], "Tc_target");
    assert_eq!(strings(&truth["keys"]), ["Tc_BaseCode", "Tc_SectionBreakStartKM"]);
    let mut listed = Vec::new();
    for category in ["defect_channels", "confounded_channels", "confounder_channels", "noise_channels"] {
        listed.extend(strings(&truth[category]));
    }
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "a channel is listed twice");
    let channels: BTreeSet<String> = header[4..].iter().cloned().collect();
    assert_eq!(sorted.into_iter().collect::<BTreeSet<_>>(), channels);
    let importance = truth["importance"].as_object().unwrap();
    assert_eq!(importance.keys().cloned().collect::<BTreeSet<_>>(), channels);
    let defect = strings(&truth["defect_channels"]);
    for (name, w) in importance {
        assert_eq!(w.as_f64().unwrap() > 0.0, defect.contains(name), "{name}: importance {w}");
    }
    // Every defect channel separates the classes more than any other channel.
    let sep = truth["separation"].as_object().unwrap();
    let weakest_defect = defect.iter().map(|c| sep[c].as_f64().unwrap()).fold(f64::INFINITY, f64::min);
    let strongest_other =
        sep.iter().filter(|(c, _)| !defect.contains(c)).map(|(_, v)| v.as_f64().unwrap()).fold(0.0, f64::max);
    assert!(weakest_defect > 0.15 && strongest_other < 0.1, "{weakest_defect} vs {strongest_other}");
}

#[test]
fn groups_file_partitions_the_channels_by_sensor_family() {
    let dir = scratch("rail-groups");
    let (csv, _) = generate(&dir, "railway", 10, 1, "g");
    let features: Vec<String> = Table::read(&csv).header[4..].to_vec();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-groups.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let (groups, warnings) = glassbox_data::FeatureGroups::from_toml(&text, path, &features).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let expect = [
        ("Twist", 2),
        ("Bounce", 2),
        ("BodyRock", 2),
        ("LP", 4),
        ("Acc", 4),
        ("AccRMS", 4),
        ("Rail", 2),
        ("SND", 3),
        ("VACC", 3),
        ("Wagon_Speed", 1),
        ("Wagon_BrakeCylinder", 1),
        ("Wagon_IntrainForce", 1),
        ("Wagon_Curvature", 1),
        ("Wagon_Track_Offset", 1),
    ];
    let got: Vec<(&str, usize)> =
        groups.names.iter().map(String::as_str).zip(groups.members.iter().map(Vec::len)).collect();
    assert_eq!(got, expect);
    let acc: Vec<&str> = groups.members[4].iter().map(|&f| features[f].as_str()).collect();
    assert_eq!(acc, ["Wagon_Acc1", "Wagon_Acc2", "Wagon_Acc3", "Wagon_Acc4"]);
}
