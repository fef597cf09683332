//! The embedded Gauss–Kronrod pair G7/K15 on one panel, for the adaptive
//! engine (`adaptive.rs`).
//!
//! On `[−1, 1]`, the 7-point Gauss–Legendre rule `G7` integrates
//! polynomials of degree ≤ 13 exactly; the 15-point Kronrod extension
//! `K15` reuses its 7 nodes, adds 8, and is exact to degree 22. On a panel
//! `[a, b]` of the path, with `α_j = a + (b − a)·t_j`,
//!
//! `∫ₐᵇ g(α) dα ≈ (b − a) Σ_j k_j g(α_j)` (K15) and `(b − a) Σ_j γ_j g(α_j)`
//! (G7, `γ_j = 0` on the 8 Kronrod-only nodes),
//!
//! and `|K15 − G7|` estimates the error of G7 (conservatively that of K15,
//! which is the value used). The constants are the standard ones
//! (Kronrod 1965; Piessens et al., QUADPACK `qk15`), written here on
//! `[−1, 1]` with 33 digits and mapped to `[0, 1]` in f64 by
//! `t = (1 + ξ)/2`, `w = v/2`, exactly as `quadrature.rs` maps the
//! Gauss–Legendre nodes. `tests/kronrod.rs` checks them: the G7 nodes equal
//! our Gauss–Legendre `n = 7` nodes, K15 is exact for monomials up to
//! degree 22 and G7 up to 13, and both weight sets sum to 1 on `[0, 1]`.

/// Kronrod nodes `ξ ≥ 0` on `[−1, 1]`, descending; the odd positions
/// (1, 3, 5, 7) are the G7 nodes.
#[allow(clippy::excessive_precision)]
const XGK: [f64; 8] = [
    0.991_455_371_120_812_639_206_854_697_526_329,
    0.949_107_912_342_758_524_526_189_684_047_851,
    0.864_864_423_359_769_072_789_712_788_640_926,
    0.741_531_185_599_394_439_863_864_773_280_788,
    0.586_087_235_467_691_130_294_144_845_693_013,
    0.405_845_151_377_397_166_906_606_412_076_961,
    0.207_784_955_007_898_467_600_689_403_773_245,
    0.0,
];

/// K15 weights for [`XGK`] on `[−1, 1]`.
#[allow(clippy::excessive_precision)]
const WGK: [f64; 8] = [
    0.022_935_322_010_529_224_963_732_008_058_970,
    0.063_092_092_629_978_553_290_700_663_189_204,
    0.104_790_010_322_250_183_839_876_322_541_518,
    0.140_653_259_715_525_918_745_189_590_510_238,
    0.169_004_726_639_267_902_826_583_426_598_550,
    0.190_350_578_064_785_409_913_256_402_421_014,
    0.204_432_940_075_298_892_414_161_999_234_649,
    0.209_482_141_084_727_828_012_999_174_891_714,
];

/// G7 weights for `XGK[1], XGK[3], XGK[5], XGK[7]` on `[−1, 1]`.
#[allow(clippy::excessive_precision)]
const WG: [f64; 4] = [
    0.129_484_966_168_869_693_270_611_432_679_082,
    0.279_705_391_489_276_667_901_467_771_423_780,
    0.381_830_050_505_118_944_950_369_775_488_975,
    0.417_959_183_673_469_387_755_102_040_816_327,
];

/// Number of nodes of K15.
pub const NODES: usize = 15;

/// Index of the panel's midpoint `t = ½` among the 15 ascending nodes.
pub const MIDPOINT: usize = 7;

/// The G7/K15 pair on `[0, 1]`: ascending nodes `t_j`, Kronrod weights
/// `k_j` and Gauss weights `γ_j` (zero where `t_j` is not a G7 node).
#[derive(Clone, Debug, PartialEq)]
pub struct GaussKronrod {
    /// Nodes in `(0, 1)`, ascending; `nodes[MIDPOINT] = ½`.
    pub nodes: [f64; NODES],
    /// K15 weights (Σ = 1).
    pub kronrod: [f64; NODES],
    /// G7 weights (Σ = 1), 0 on the 8 Kronrod-only nodes.
    pub gauss: [f64; NODES],
}

impl GaussKronrod {
    /// The pair on `[0, 1]`.
    ///
    /// ```
    /// use glassbox_ig::kronrod::GaussKronrod;
    /// let r = GaussKronrod::new();
    /// // ∫₀¹ t²¹ dt = 1/22, exactly for K15 (degree ≤ 22) up to rounding.
    /// let k: f64 = r.nodes.iter().zip(&r.kronrod).map(|(t, w)| w * t.powi(21)).sum();
    /// assert!((k - 1.0 / 22.0).abs() < 1e-15);
    /// assert_eq!(r.nodes[7], 0.5);
    /// ```
    pub fn new() -> Self {
        let mut nodes = [0.0; NODES];
        let mut kronrod = [0.0; NODES];
        let mut gauss = [0.0; NODES];
        for (i, (&x, &w)) in XGK.iter().zip(&WGK).enumerate() {
            // XGK[i] is the i-th largest; mirrored it is the i-th smallest.
            let (lo, hi) = (i, NODES - 1 - i);
            nodes[lo] = (1.0 - x) / 2.0;
            nodes[hi] = (1.0 + x) / 2.0;
            kronrod[lo] = w / 2.0;
            kronrod[hi] = w / 2.0;
            if i % 2 == 1 {
                gauss[lo] = WG[i / 2] / 2.0;
                gauss[hi] = WG[i / 2] / 2.0;
            }
        }
        GaussKronrod { nodes, kronrod, gauss }
    }

    /// `k_j − γ_j`: the weights of the error estimate `K15 − G7`.
    pub fn difference(&self) -> [f64; NODES] {
        std::array::from_fn(|j| self.kronrod[j] - self.gauss[j])
    }
}

impl Default for GaussKronrod {
    fn default() -> Self {
        Self::new()
    }
}
