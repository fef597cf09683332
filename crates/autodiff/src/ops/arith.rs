//! Element-wise arithmetic with broadcasting (`+ − × ÷`), negation and
//! scalar operations.
//!
//! For `y = a ∘ b` broadcast to shape S, the gradient `g` (shape S) flows
//! back as `∂y/∂a ⊙ g` summed to `a`'s shape ([`crate::sum_to_shape`]):
//! `add: (g, g)`, `sub: (g, −g)`, `mul: (g⊙b, g⊙a)`, `div: (g/b, −g⊙a/b²)`.

use std::ops::{Add, Div, Mul, Neg, Sub};
use std::sync::Arc;

use ndarray::{IxDyn, Zip};

use crate::broadcast::{broadcast_shape, reduce_to_shape};
use crate::parallel::{broadcast_zip, map_inplace, par_map, PARALLEL_MIN_LEN};
use crate::tape::{record, record_saving};
use crate::{sum_to_shape, Real, Tensor, Var};

/// The shape `a ∘ b` broadcasts to.
///
/// # Panics
/// With both shapes when they do not broadcast.
fn out_shape(op: &str, a: &[usize], b: &[usize]) -> Vec<usize> {
    broadcast_shape(a, b).unwrap_or_else(|| panic!("{op}: shapes {a:?} and {b:?} do not broadcast"))
}

/// The gradient for both operands of `a + b` (`a − b` with `neg_b`): `g`
/// summed to each shape. `g` itself goes to an operand of the full shape,
/// so it is copied only when both operands have that shape.
fn pass_both<T: Real>(g: Tensor<T>, needs: &[bool], sa: &[usize], sb: &[usize], neg_b: bool) -> Vec<Option<Tensor<T>>> {
    let full = g.shape().to_vec();
    // −g is negated before it is summed, as the op always did (the sign of
    // an exactly cancelling sum's zero depends on it).
    let db_of = |g: &Tensor<T>| match neg_b {
        true => sum_to_shape(par_map(g, T::neg), sb),
        false => reduce_to_shape(g.view(), sb),
    };
    match (needs[0], needs[1]) {
        (false, false) => vec![None, None],
        (true, false) => vec![Some(sum_to_shape(g, sa)), None],
        (false, true) => {
            let mut g = g;
            if neg_b {
                map_inplace(&mut g, T::neg);
            }
            vec![None, Some(sum_to_shape(g, sb))]
        }
        (true, true) if sa == full => {
            let db = db_of(&g);
            vec![Some(g), Some(db)]
        }
        (true, true) => vec![Some(reduce_to_shape(g.view(), sa)), Some(db_of(&g))],
    }
}

impl<T: Real> Var<T> {
    /// `a + b`, broadcasting.
    pub fn add(&self, other: &Var<T>) -> Var<T> {
        let shape = out_shape("add", self.shape(), other.shape());
        let (sa, sb) = (self.shape().to_vec(), other.shape().to_vec());
        let y = broadcast_zip(self.value(), other.value(), &shape, |x, y| x + y);
        record(y, &[self, other], move |g, needs| pass_both(g, needs, &sa, &sb, false))
    }

    /// `a − b`, broadcasting.
    pub fn sub(&self, other: &Var<T>) -> Var<T> {
        let shape = out_shape("sub", self.shape(), other.shape());
        let (sa, sb) = (self.shape().to_vec(), other.shape().to_vec());
        let y = broadcast_zip(self.value(), other.value(), &shape, |x, y| x - y);
        record(y, &[self, other], move |g, needs| pass_both(g, needs, &sa, &sb, true))
    }

    /// `a ⊙ b` (element-wise product), broadcasting.
    pub fn mul(&self, other: &Var<T>) -> Var<T> {
        let shape = out_shape("mul", self.shape(), other.shape());
        let (a, b) = (self.shared(), other.shared());
        let y = broadcast_zip(&a, &b, &shape, |x, y| x * y);
        record_saving(y, &[self, other], vec![Arc::clone(&a), Arc::clone(&b)], move |g, needs| {
            let s = g.shape().to_vec();
            vec![
                needs[0].then(|| sum_to_shape(broadcast_zip(&g, &b, &s, |g, b| g * b), a.shape())),
                needs[1].then(|| sum_to_shape(broadcast_zip(&g, &a, &s, |g, a| g * a), b.shape())),
            ]
        })
    }

    /// `a / b` (element-wise), broadcasting.
    pub fn div(&self, other: &Var<T>) -> Var<T> {
        let shape = out_shape("div", self.shape(), other.shape());
        let (a, b) = (self.shared(), other.shared());
        let y = broadcast_zip(&a, &b, &shape, |x, y| x / y);
        record_saving(y, &[self, other], vec![Arc::clone(&a), Arc::clone(&b)], move |g, needs| {
            let s = IxDyn(g.shape());
            let db = needs[1].then(|| {
                // −(g⊙a)/b/b in one pass, rounding after each operation as
                // the separate array operations did.
                let (av, bv) =
                    (a.broadcast(s.clone()).expect("broadcasts"), b.broadcast(s.clone()).expect("broadcasts"));
                let zip = Zip::from(&g).and(&av).and(&bv);
                let f = |&g: &T, &a: &T, &b: &T| -(g * a) / b / b;
                let t = if g.len() >= PARALLEL_MIN_LEN { zip.par_map_collect(f) } else { zip.map_collect(f) };
                sum_to_shape(t, b.shape())
            });
            let da = needs[0].then(|| sum_to_shape(broadcast_zip(&g, &b, g.shape(), |g, b| g / b), a.shape()));
            vec![da, db]
        })
    }

    /// `−a`.
    pub fn neg(&self) -> Var<T> {
        record(par_map(self.value(), T::neg), &[self], |mut g, _| {
            map_inplace(&mut g, T::neg);
            vec![Some(g)]
        })
    }

    /// `a + s` for a scalar `s`.
    pub fn add_scalar(&self, s: T) -> Var<T> {
        record(par_map(self.value(), |v| v + s), &[self], |g, _| vec![Some(g)])
    }

    /// `a · s` for a scalar `s`.
    pub fn mul_scalar(&self, s: T) -> Var<T> {
        record(par_map(self.value(), |v| v * s), &[self], move |mut g, _| {
            map_inplace(&mut g, |v| v * s);
            vec![Some(g)]
        })
    }

    /// `a / s` for a scalar `s`.
    pub fn div_scalar(&self, s: T) -> Var<T> {
        record(par_map(self.value(), |v| v / s), &[self], move |mut g, _| {
            map_inplace(&mut g, |v| v / s);
            vec![Some(g)]
        })
    }

    /// `aᵖ` for a scalar exponent `p`; `∂/∂a = p·aᵖ⁻¹`.
    pub fn powf(&self, p: T) -> Var<T> {
        let a: Arc<Tensor<T>> = self.shared();
        record(par_map(&a, |v| v.powf(p)), &[self], move |g, _| {
            let d = par_map(&a, |v| p * v.powf(p - T::one()));
            vec![Some(broadcast_zip(&g, &d, g.shape(), |g, d| g * d))]
        })
    }
}

macro_rules! binary_operator {
    ($trait:ident, $method:ident) => {
        impl<T: Real> $trait<&Var<T>> for &Var<T> {
            type Output = Var<T>;
            fn $method(self, rhs: &Var<T>) -> Var<T> {
                Var::$method(self, rhs)
            }
        }
    };
}

binary_operator!(Add, add);
binary_operator!(Sub, sub);
binary_operator!(Mul, mul);
binary_operator!(Div, div);

impl<T: Real> Neg for &Var<T> {
    type Output = Var<T>;
    fn neg(self) -> Var<T> {
        Var::neg(self)
    }
}
