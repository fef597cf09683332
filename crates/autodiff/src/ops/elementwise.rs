//! Element-wise functions `y = f(x)`, each with its derivative beside it.
//! The backward of every one is `∂x = g ⊙ f′(x)`, where `f′` may use the
//! output `y` when that is cheaper (`exp′ = y`, `tanh′ = 1 − y²`).

use std::sync::Arc;

use ndarray::Zip;

use crate::tape::record;
use crate::{Real, Var};

/// √(2/π), the GELU tanh-form constant.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// The cubic coefficient of the GELU tanh form.
const GELU_CUBIC: f64 = 0.044_715;

/// Records `y = f(x)` with backward `g ⊙ df(x, y)`.
fn map<T: Real>(x: &Var<T>, f: impl Fn(T) -> T, df: impl Fn(T, T) -> T + 'static) -> Var<T> {
    let xv = x.shared();
    let y = Arc::new(xv.mapv(f));
    let yv = Arc::clone(&y);
    record(y, &[x], move |g, _| {
        let dx = Zip::from(g).and(&*xv).and(&*yv).map_collect(|&g, &x, &y| g * df(x, y));
        vec![Some(dx)]
    })
}

impl<T: Real> Var<T> {
    /// `eˣ`; `∂ = y`.
    pub fn exp(&self) -> Var<T> {
        map(self, T::exp, |_, y| y)
    }

    /// `ln x`; `∂ = 1/x`.
    pub fn log(&self) -> Var<T> {
        map(self, T::ln, |x, _| x.recip())
    }

    /// `√x`; `∂ = 1/(2y)`.
    pub fn sqrt(&self) -> Var<T> {
        map(self, T::sqrt, |_, y| (y + y).recip())
    }

    /// `tanh x`; `∂ = 1 − y²`.
    pub fn tanh(&self) -> Var<T> {
        map(self, T::tanh, |_, y| T::one() - y * y)
    }

    /// `σ(x) = 1/(1 + e⁻ˣ)`, computed without overflow; `∂ = y(1 − y)`.
    pub fn sigmoid(&self) -> Var<T> {
        map(self, sigmoid, |_, y| y * (T::one() - y))
    }

    /// `max(x, 0)`; `∂ = 1` for `x > 0`, else 0.
    pub fn relu(&self) -> Var<T> {
        map(self, |x| x.max(T::zero()), |x, _| if x > T::zero() { T::one() } else { T::zero() })
    }

    /// GELU, tanh form: `y = ½x(1 + tanh u)`, `u = √(2/π)(x + 0.044715x³)`;
    /// `∂ = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)`, `t = tanh u`.
    pub fn gelu(&self) -> Var<T> {
        let (c, a, half) = (T::c(SQRT_2_OVER_PI), T::c(GELU_CUBIC), T::c(0.5));
        map(
            self,
            move |x| half * x * (T::one() + (c * (x + a * x * x * x)).tanh()),
            move |x, _| {
                let t = (c * (x + a * x * x * x)).tanh();
                let du = c * (T::one() + T::c(3.0) * a * x * x);
                half * (T::one() + t) + half * x * (T::one() - t * t) * du
            },
        )
    }

    /// `|x|`; `∂ = sign(x)`, 0 at 0.
    pub fn abs(&self) -> Var<T> {
        map(self, T::abs, |x, _| if x == T::zero() { T::zero() } else { x.signum() })
    }

    /// `min(max(x, lo), hi)`; `∂ = 1` for `lo ≤ x ≤ hi`, else 0.
    pub fn clamp(&self, lo: T, hi: T) -> Var<T> {
        map(self, move |x| x.max(lo).min(hi), move |x, _| if x >= lo && x <= hi { T::one() } else { T::zero() })
    }
}

/// `1/(1 + e⁻ˣ)` evaluated on the side where the exponential cannot overflow.
fn sigmoid<T: Real>(x: T) -> T {
    if x >= T::zero() {
        (T::one() + (-x).exp()).recip()
    } else {
        let e = x.exp();
        e / (T::one() + e)
    }
}
