//! Element-wise arithmetic with broadcasting (`+ − × ÷`), negation and
//! scalar operations.
//!
//! For `y = a ∘ b` broadcast to shape S, the gradient `g` (shape S) flows
//! back as `∂y/∂a ⊙ g` summed to `a`'s shape ([`crate::sum_to_shape`]):
//! `add: (g, g)`, `sub: (g, −g)`, `mul: (g⊙b, g⊙a)`, `div: (g/b, −g⊙a/b²)`.

use std::ops::{Add, Div, Mul, Neg, Sub};
use std::sync::Arc;

use crate::broadcast::check_broadcast;
use crate::tape::record;
use crate::{sum_to_shape, Real, Tensor, Var};

impl<T: Real> Var<T> {
    /// `a + b`, broadcasting.
    pub fn add(&self, other: &Var<T>) -> Var<T> {
        check_broadcast("add", self.shape(), other.shape());
        let (sa, sb) = (self.shape().to_vec(), other.shape().to_vec());
        record(self.value() + other.value(), &[self, other], move |g, needs| {
            vec![needs[0].then(|| sum_to_shape(g.clone(), &sa)), needs[1].then(|| sum_to_shape(g.clone(), &sb))]
        })
    }

    /// `a − b`, broadcasting.
    pub fn sub(&self, other: &Var<T>) -> Var<T> {
        check_broadcast("sub", self.shape(), other.shape());
        let (sa, sb) = (self.shape().to_vec(), other.shape().to_vec());
        record(self.value() - other.value(), &[self, other], move |g, needs| {
            vec![needs[0].then(|| sum_to_shape(g.clone(), &sa)), needs[1].then(|| sum_to_shape(g.mapv(T::neg), &sb))]
        })
    }

    /// `a ⊙ b` (element-wise product), broadcasting.
    pub fn mul(&self, other: &Var<T>) -> Var<T> {
        check_broadcast("mul", self.shape(), other.shape());
        let (a, b) = (self.shared(), other.shared());
        record(&*a * &*b, &[self, other], move |g, needs| {
            vec![needs[0].then(|| sum_to_shape(g * &*b, a.shape())), needs[1].then(|| sum_to_shape(g * &*a, b.shape()))]
        })
    }

    /// `a / b` (element-wise), broadcasting.
    pub fn div(&self, other: &Var<T>) -> Var<T> {
        check_broadcast("div", self.shape(), other.shape());
        let (a, b) = (self.shared(), other.shared());
        record(&*a / &*b, &[self, other], move |g, needs| {
            vec![
                needs[0].then(|| sum_to_shape(g / &*b, a.shape())),
                needs[1].then(|| sum_to_shape(-(g * &*a) / &*b / &*b, b.shape())),
            ]
        })
    }

    /// `−a`.
    pub fn neg(&self) -> Var<T> {
        record(self.value().mapv(T::neg), &[self], |g, _| vec![Some(g.mapv(T::neg))])
    }

    /// `a + s` for a scalar `s`.
    pub fn add_scalar(&self, s: T) -> Var<T> {
        record(self.value() + s, &[self], |g, _| vec![Some(g.clone())])
    }

    /// `a · s` for a scalar `s`.
    pub fn mul_scalar(&self, s: T) -> Var<T> {
        record(self.value() * s, &[self], move |g, _| vec![Some(g * s)])
    }

    /// `a / s` for a scalar `s`.
    pub fn div_scalar(&self, s: T) -> Var<T> {
        record(self.value() / s, &[self], move |g, _| vec![Some(g / s)])
    }

    /// `aᵖ` for a scalar exponent `p`; `∂/∂a = p·aᵖ⁻¹`.
    pub fn powf(&self, p: T) -> Var<T> {
        let a: Arc<Tensor<T>> = self.shared();
        record(a.mapv(|v| v.powf(p)), &[self], move |g, _| vec![Some(g * &a.mapv(|v| p * v.powf(p - T::one())))])
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
