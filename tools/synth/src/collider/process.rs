//! The physics processes of the collider sample and their parameters.
//!
//! A semileptonic selection (exactly one lepton, 2–4 jets with p_T > 25 GeV
//! and |η| < 2.5): a heavy new-physics signal against four Standard Model
//! backgrounds. Per process `p`:
//!
//! - jet count `n ∈ {2, 3, 4}` with probabilities `njets`;
//! - each jet `p_T = 25 + Exp(jet_scale)` GeV, sorted in decreasing order;
//!   `η ~ N(0, jet_eta_sd²)` truncated to ±2.5; `φ ~ U(−π, π)`;
//! - b-tags `n_b ~ Binomial(n, btag)`;
//! - lepton `p_T = 25 + Exp(lep_scale)` GeV, `η ~ N(0, lep_eta_sd²)` truncated to ±2.5, `φ ~ U(−π, π)`;
//! - missing E_T `= met_offset + Exp(met_scale)` GeV, its direction
//!   `φ_met = φ_ℓ + Δφ` with `Δφ = wrap(π + dphi_sd · N(0, 1))`.
//!
//! The signal differs mostly in lepton p_T and missing E_T (and so in H_T
//! and m_T), weakly in the jets and angles; every φ column is uniform for
//! every process (rotational symmetry) and carries no information.
//!
//! Weights: event `i` of process `p` gets `w = expected_yield_p / N_p ·
//! exp(0.1·z − 0.005)` (z ~ N(0, 1), mean factor 1), so the weights of a
//! process sum to about its expected yield after preselection.

/// One process and its generator parameters (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Process {
    pub name: &'static str,
    pub label: u8,
    /// Share of rows (by count).
    pub fraction: f64,
    /// Expected events after preselection (e.g. 140 fb⁻¹).
    pub expected_yield: f64,
    /// P(n = 2), P(n = 3), P(n = 4).
    pub njets: [f64; 3],
    pub btag: f64,
    pub jet_scale: f64,
    pub jet_eta_sd: f64,
    pub lep_scale: f64,
    pub lep_eta_sd: f64,
    pub met_offset: f64,
    pub met_scale: f64,
    pub dphi_sd: f64,
}

/// The processes, signal first; row fractions sum to 1.
pub const PROCESSES: [Process; 5] = [
    Process {
        name: "signal",
        label: 1,
        fraction: 0.30,
        expected_yield: 150.0,
        njets: [0.20, 0.35, 0.45],
        btag: 0.30,
        jet_scale: 62.0,
        jet_eta_sd: 1.0,
        lep_scale: 95.0,
        lep_eta_sd: 0.9,
        met_offset: 30.0,
        met_scale: 120.0,
        dphi_sd: 1.3,
    },
    Process {
        name: "ttbar",
        label: 0,
        fraction: 0.30,
        expected_yield: 250_000.0,
        njets: [0.20, 0.35, 0.45],
        btag: 0.45,
        jet_scale: 55.0,
        jet_eta_sd: 1.2,
        lep_scale: 35.0,
        lep_eta_sd: 1.1,
        met_offset: 0.0,
        met_scale: 55.0,
        dphi_sd: 1.5,
    },
    Process {
        name: "wjets",
        label: 0,
        fraction: 0.25,
        expected_yield: 1_200_000.0,
        njets: [0.65, 0.25, 0.10],
        btag: 0.03,
        jet_scale: 40.0,
        jet_eta_sd: 1.3,
        lep_scale: 35.0,
        lep_eta_sd: 1.2,
        met_offset: 0.0,
        met_scale: 45.0,
        dphi_sd: 1.6,
    },
    Process {
        name: "diboson",
        label: 0,
        fraction: 0.08,
        expected_yield: 20_000.0,
        njets: [0.70, 0.22, 0.08],
        btag: 0.05,
        jet_scale: 40.0,
        jet_eta_sd: 1.2,
        lep_scale: 40.0,
        lep_eta_sd: 1.1,
        met_offset: 0.0,
        met_scale: 45.0,
        dphi_sd: 1.6,
    },
    Process {
        name: "singletop",
        label: 0,
        fraction: 0.07,
        expected_yield: 40_000.0,
        njets: [0.45, 0.35, 0.20],
        btag: 0.35,
        jet_scale: 50.0,
        jet_eta_sd: 1.3,
        lep_scale: 35.0,
        lep_eta_sd: 1.1,
        met_offset: 0.0,
        met_scale: 50.0,
        dphi_sd: 1.5,
    },
];

/// Row counts per process summing to `rows` exactly (largest remainder).
pub fn row_counts(rows: usize) -> [usize; PROCESSES.len()] {
    let mut counts = [0usize; PROCESSES.len()];
    let mut remainders = [(0.0f64, 0usize); PROCESSES.len()];
    for (i, p) in PROCESSES.iter().enumerate() {
        let exact = p.fraction * rows as f64;
        counts[i] = exact.floor() as usize;
        remainders[i] = (exact - exact.floor(), i);
    }
    let mut left = rows - counts.iter().sum::<usize>();
    // Largest remainder first; ties go to the earlier process.
    remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}
