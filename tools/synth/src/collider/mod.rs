//! `synth collider`: signal against several backgrounds, as in Bardhan et
//! al.'s IG study of collider event classification.
//!
//! Columns: `process`, `weight` (per-event cross-section weight > 0), `label`
//! (1 signal, 0 background) and 20 kinematic features (GeV, η, φ in
//! radians, integer counts). Rows come in random process order with exact
//! per-process counts: row `i` takes process `p` with probability
//! `remaining_p / remaining` (sampling without replacement), so the signal is
//! exactly `round(0.3·N)` rows (largest remainder over the processes).
//!
//! Derived features (massless objects; jets absent from an event have p_T 0):
//!
//! ```text
//! H_T   = p_T(ℓ) + Σ_jets p_T              (of the printed, rounded values)
//! m_T   = √(2 · p_T(ℓ) · E_T^miss · (1 − cos Δφ(ℓ, E_T^miss)))
//! ΔR_lj = √((η_ℓ − η_j1)² + Δφ(ℓ, j1)²)
//! m_jj  = √(2 · p_T1 · p_T2 · (cosh(η_1 − η_2) − cos(φ_1 − φ_2)))
//! ```

pub mod process;

use crate::csv_out::Table;
use crate::moments::{pooled_sd, separation, Moments};
use crate::sample::{wrap_angle, Sampler};
use crate::truth::{ColliderTruth, FeatureStats, Ordered, ProcessTruth};
use anyhow::Result;
use indicatif::ProgressBar;
use process::{row_counts, Process, PROCESSES};
use std::io::Write;

/// Feature columns in order, with their printed decimals.
pub const FEATURES: [(&str, usize); 20] = [
    ("H_T", 2),
    ("lep1_pt", 2),
    ("lep1_eta", 3),
    ("lep1_phi", 4),
    ("met", 2),
    ("met_phi", 4),
    ("jet1_pt", 2),
    ("jet1_eta", 3),
    ("jet1_phi", 4),
    ("jet2_pt", 2),
    ("jet2_eta", 3),
    ("jet2_phi", 4),
    ("jet3_pt", 2),
    ("jet4_pt", 2),
    ("n_jets", 0),
    ("n_bjets", 0),
    ("m_T", 2),
    ("m_jj", 2),
    ("delta_R_lj", 3),
    ("delta_phi_met_lep", 4),
];

/// Features with no information about the label (uniform φ for every process).
pub const NOISE: [&str; 4] = ["lep1_phi", "met_phi", "jet1_phi", "jet2_phi"];

/// |η| acceptance.
const ETA_MAX: f64 = 2.5;
/// Jet and lepton p_T threshold, GeV.
const PT_MIN: f64 = 25.0;

/// Rounds to hundredths (the printed p_T precision), so sums of printed values are exact.
fn centi(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One event's features in `FEATURES` order.
fn event(rng: &mut Sampler, p: &Process) -> [f64; 20] {
    let n = 2 + rng.categorical(&p.njets);
    let mut jets = [(0.0f64, 0.0f64, 0.0f64); 4]; // (p_T, η, φ)
    for jet in jets.iter_mut().take(n) {
        *jet = (centi(PT_MIN + rng.exponential(p.jet_scale)), rng.truncated_normal(p.jet_eta_sd, ETA_MAX), rng.angle());
    }
    jets[..n].sort_by(|a, b| b.0.total_cmp(&a.0));
    let nb = (0..n).filter(|_| rng.bernoulli(p.btag)).count();
    let lep_pt = centi(PT_MIN + rng.exponential(p.lep_scale));
    let lep_eta = rng.truncated_normal(p.lep_eta_sd, ETA_MAX);
    let lep_phi = rng.angle();
    let met = centi(p.met_offset + rng.exponential(p.met_scale));
    let dphi = wrap_angle(std::f64::consts::PI + p.dphi_sd * rng.normal());
    let met_phi = wrap_angle(lep_phi + dphi);

    let ht = lep_pt + jets.iter().map(|j| j.0).sum::<f64>();
    let mt = (2.0 * lep_pt * met * (1.0 - dphi.cos())).sqrt();
    let (j1, j2) = (jets[0], jets[1]);
    let dr = ((lep_eta - j1.1).powi(2) + wrap_angle(lep_phi - j1.2).powi(2)).sqrt();
    let mjj = (2.0 * j1.0 * j2.0 * ((j1.1 - j2.1).cosh() - (j1.2 - j2.2).cos())).max(0.0).sqrt();
    [
        ht,
        lep_pt,
        lep_eta,
        lep_phi,
        met,
        met_phi,
        j1.0,
        j1.1,
        j1.2,
        j2.0,
        j2.1,
        j2.2,
        jets[2].0,
        jets[3].0,
        n as f64,
        nb as f64,
        mt,
        mjj,
        dr,
        dphi.abs(),
    ]
}

/// Writes `rows` events to `out` and returns the writer with the ground truth.
pub fn generate<W: Write>(rows: usize, seed: u64, out: W, bar: ProgressBar) -> Result<(W, ColliderTruth)> {
    let mut header = vec!["process", "weight", "label"];
    header.extend(FEATURES.iter().map(|f| f.0));
    let mut table = Table::new(out, &header, bar)?;
    let mut rng = Sampler::new(seed);
    let counts = row_counts(rows);
    let mut remaining = counts;
    let mut sum_weights = [0.0f64; PROCESSES.len()];
    let mut moments = [[Moments::default(); 20]; 2]; // [background, signal]
    for left in (1..=rows).rev() {
        // Process i with probability remaining_i / left.
        let mut pick = rng.int(0, left as i64 - 1) as usize;
        let mut i = 0;
        while pick >= remaining[i] {
            pick -= remaining[i];
            i += 1;
        }
        remaining[i] -= 1;
        let p = &PROCESSES[i];
        let weight = p.expected_yield / counts[i] as f64 * (0.1 * rng.normal() - 0.005).exp();
        sum_weights[i] += weight;
        let x = event(&mut rng, p);
        table.text(p.name)?;
        table.scientific(weight, 5)?;
        table.int(i64::from(p.label))?;
        for (((_, decimals), v), m) in FEATURES.iter().zip(x).zip(moments[usize::from(p.label)].iter_mut()) {
            table.fixed(v, *decimals)?;
            m.add(v);
        }
        table.end_row()?;
    }
    let out = table.finish()?;
    Ok((out, truth(rows, seed, &counts, &sum_weights, &moments)))
}

fn truth(rows: usize, seed: u64, counts: &[usize], sum_weights: &[f64], moments: &[[Moments; 20]; 2]) -> ColliderTruth {
    let processes = PROCESSES
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let t = ProcessTruth {
                label: p.label,
                rows: counts[i],
                fraction: counts[i] as f64 / rows as f64,
                expected_yield: p.expected_yield,
                sum_weights: sum_weights[i],
                mean_weight: sum_weights[i] / counts[i].max(1) as f64,
            };
            (p.name.to_string(), t)
        })
        .collect();
    let mut stats = Vec::new();
    let mut importance = Vec::new();
    for (f, (name, _)) in FEATURES.iter().enumerate() {
        let (b, s) = (&moments[0][f], &moments[1][f]);
        let weight = if NOISE.contains(name) { 0.0 } else { separation(s, b) };
        importance.push((name.to_string(), weight));
        let pooled_sd = pooled_sd(s, b);
        stats.push((name.to_string(), FeatureStats { signal_mean: s.mean(), background_mean: b.mean(), pooled_sd }));
    }
    let signal: usize = PROCESSES.iter().zip(counts).filter(|(p, _)| p.label == 1).map(|(_, c)| c).sum();
    let signal_weight: f64 = PROCESSES.iter().zip(sum_weights).filter(|(p, _)| p.label == 1).map(|(_, w)| w).sum();
    ColliderTruth {
        kind: "collider",
        label: "label",
        weight_column: "weight",
        process_column: "process",
        rows,
        seed,
        signal_fraction: signal as f64 / rows as f64,
        signal_weight_fraction: signal_weight / sum_weights.iter().sum::<f64>().max(f64::MIN_POSITIVE),
        processes: Ordered(processes),
        importance: Ordered(importance),
        informative: FEATURES.iter().map(|f| f.0).filter(|f| !NOISE.contains(f)).map(String::from).collect(),
        noise: NOISE.iter().map(|s| s.to_string()).collect(),
        feature_stats: Ordered(stats),
        notes: NOTES.to_string(),
    }
}

const NOTES: &str = "Semileptonic selection: one lepton (pT > 25 GeV), 2-4 jets (pT > 25 GeV, |eta| < 2.5); \
absent jets have pT 0. Signal (label 1) has a harder lepton (25 + Exp(95) vs 25 + Exp(35-40) GeV) and \
larger missing ET (30 + Exp(120) vs Exp(45-55) GeV), hence larger H_T and m_T; jets are somewhat harder \
(Exp(70) vs Exp(40-55)) and more numerous; eta widths and delta_phi_met_lep differ weakly. Every phi \
column is uniform on (-pi, pi] for every process (noise). H_T = lep1_pt + sum of all jet pT exactly \
(jet1..jet4 columns). importance = |signal mean - background mean| / pooled sd measured on the generated \
rows (unweighted), 0 for the phi columns by construction. weight = expected_yield / rows_of_process * \
lognormal(0.1) jitter, so per-process weight sums approach the expected yields; signal is rare by weight.";
