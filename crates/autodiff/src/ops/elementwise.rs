//! Element-wise functions `y = f(x)`, each written as one function that
//! returns the value and the derivative `(f(x), f′(x))` together, so they
//! share work (`tanh′ = 1 − y²`, `exp′ = y`). The derivative is kept only
//! when `x` is tracked, and the backward is `∂x = g ⊙ f′(x)`.

use std::sync::Arc;

use ndarray::Zip;

use crate::parallel::{fill_pair, par_map, zip_inplace, CHUNK_LEN, PARALLEL_MIN_LEN};
use crate::tape::record_saving;
use crate::{Real, Tensor, Var};

/// √(2/π), the GELU tanh-form constant.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// The cubic coefficient of the GELU tanh form.
const GELU_CUBIC: f64 = 0.044_715;

/// Records `y = f(x).0` with backward `g ⊙ f(x).1`. A standard-layout
/// input is mapped chunk by chunk into fresh (unzeroed) buffers in
/// vectorised loops; any other layout goes through `ndarray::Zip`.
fn map<T: Real>(x: &Var<T>, f: impl Fn(T) -> (T, T) + Sync + Send) -> Var<T> {
    if !x.requires_grad() {
        return Var::constant(par_map(x.value(), |v| f(v).0));
    }
    let (y, d) = match x.value().as_slice() {
        Some(src) => fill_pair(
            x.value().raw_dim(),
            CHUNK_LEN,
            #[inline(always)]
            |start, len| src[start..start + len].iter().map(|&v| f(v)),
        ),
        None => {
            let mut y = Tensor::<T>::zeros(x.value().raw_dim());
            let mut d = Tensor::<T>::zeros(x.value().raw_dim());
            let zip = Zip::from(&mut y).and(&mut d).and(x.value());
            let both = |y: &mut T, d: &mut T, &x: &T| (*y, *d) = f(x);
            if x.value().len() >= PARALLEL_MIN_LEN {
                zip.par_for_each(both);
            } else {
                zip.for_each(both);
            }
            (y, d)
        }
    };
    let d = Arc::new(d);
    record_saving(y, &[x], vec![Arc::clone(&d)], move |mut g, _| {
        zip_inplace(&mut g, &d, |g, d| g * d);
        vec![Some(g)]
    })
}

impl<T: Real> Var<T> {
    /// `eˣ`; `∂ = y`.
    pub fn exp(&self) -> Var<T> {
        map(self, |x| {
            let y = x.exp_inline();
            (y, y)
        })
    }

    /// `ln x`; `∂ = 1/x`.
    pub fn log(&self) -> Var<T> {
        map(self, |x| (x.ln(), x.recip()))
    }

    /// `√x`; `∂ = 1/(2y)`.
    pub fn sqrt(&self) -> Var<T> {
        map(self, |x| {
            let y = x.sqrt();
            (y, (y + y).recip())
        })
    }

    /// `tanh x`; `∂ = 1 − y²`.
    pub fn tanh(&self) -> Var<T> {
        map(self, |x| {
            let y = x.tanh();
            (y, T::one() - y * y)
        })
    }

    /// `σ(x) = 1/(1 + e⁻ˣ)`, computed without overflow; `∂ = y(1 − y)`.
    pub fn sigmoid(&self) -> Var<T> {
        map(self, |x| {
            let y = sigmoid(x);
            (y, y * (T::one() - y))
        })
    }

    /// `max(x, 0)`; `∂ = 1` for `x > 0`, else 0.
    pub fn relu(&self) -> Var<T> {
        map(self, |x| if x > T::zero() { (x, T::one()) } else { (T::zero(), T::zero()) })
    }

    /// GELU, tanh form: `y = ½x(1 + t)`, `t = tanh u`,
    /// `u = √(2/π)(x + 0.044715x³)`;
    /// `∂ = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)`.
    ///
    /// `1 + t` is computed as `2σ(2u)` (one exponential, exact to rounding
    /// for any `u`, no cancellation).
    pub fn gelu(&self) -> Var<T> {
        let (c, a, half) = (T::c(SQRT_2_OVER_PI), T::c(GELU_CUBIC), T::c(0.5));
        map(
            self,
            #[inline(always)]
            move |x| {
                let u = c * (x + a * x * x * x);
                let s = sigmoid(u + u); // (1 + tanh u) / 2
                let one_plus_t = s + s;
                let one_minus_t2 = one_plus_t * (T::c(2.0) - one_plus_t);
                let du = c * (T::one() + T::c(3.0) * a * x * x);
                (half * x * one_plus_t, half * one_plus_t + half * x * one_minus_t2 * du)
            },
        )
    }

    /// `|x|`; `∂ = sign(x)`, 0 at 0.
    pub fn abs(&self) -> Var<T> {
        map(self, |x| (x.abs(), if x == T::zero() { T::zero() } else { x.signum() }))
    }

    /// `min(max(x, lo), hi)`; `∂ = 1` for `lo ≤ x ≤ hi`, else 0.
    pub fn clamp(&self, lo: T, hi: T) -> Var<T> {
        map(self, move |x| (x.max(lo).min(hi), if x >= lo && x <= hi { T::one() } else { T::zero() }))
    }
}

/// `1/(1 + e⁻ˣ)` evaluated on the side where the exponential cannot overflow.
#[inline(always)]
fn sigmoid<T: Real>(x: T) -> T {
    // e^{−|x|} ≤ 1 cannot overflow; written branch-free so it vectorises.
    let e = (-x.abs()).exp_inline();
    let r = (T::one() + e).recip();
    if x >= T::zero() {
        r
    } else {
        e * r
    }
}
