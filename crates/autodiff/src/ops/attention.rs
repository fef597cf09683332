//! Multi-head scaled dot-product attention as one op, for the tiny
//! per-head products of a transformer on short sequences.
//!
//! For `q, k, v ∈ R^{N×S×d}` and `H` heads of width `d_h = d/H` (head `h`
//! is columns `h·d_h..(h+1)·d_h`), per sequence `n` and head `h`:
//! `P = softmax(Q_h K_hᵀ·c)` over keys (`c = 1/√d_h`), `P̃ = P ⊙ M` with an
//! optional dropout mask `M ∈ R^{N×H×S×S}`, and `ctx_h = P̃ V_h`; the output
//! is `ctx ∈ R^{N×S×d}`, heads side by side.
//!
//! Backward, from `G = ∂ctx`: `∂P̃ = G_h V_hᵀ`, `∂V_h = P̃ᵀ G_h`,
//! `∂P = ∂P̃ ⊙ M`, `∂X = c·P ⊙ (∂P − rowsum(∂P ⊙ P))` for the scaled
//! scores `X`, `∂Q_h = ∂X K_h`, `∂K_h = ∂Xᵀ Q_h`.
//!
//! The same arithmetic as `q.reshape·permute` → `matmul_t` → `mul_scalar`
//! → `softmax` → `dropout` → `matmul` → `permute·reshape`, without the head
//! copies, the intermediate tensors or a general GEMM per head: every
//! product is [`small_gemm`] on strided views (only `K_hᵀ`, `V_hᵀ` are
//! copied, into a few KiB of scratch). Sequences run in parallel, one
//! task each; every sum has a fixed order, so the bits do not depend on
//! the thread count.

use std::mem::MaybeUninit;
use std::sync::Arc;

use ndarray::IxDyn;
use rayon::prelude::*;

use crate::parallel::to_standard;
use crate::pool;
use crate::small_gemm::{small_gemm, Strided, LANES};
use crate::tape::record_saving;
use crate::vector::{tree_sum, wide};
use crate::{Real, Tensor, Var};

/// The sizes of one call.
#[derive(Clone, Copy)]
struct Dims {
    s: usize,
    d: usize,
    heads: usize,
    dh: usize,
    /// `S` rounded up to [`LANES`]: the row length of the scratch tiles.
    sp: usize,
}

impl<T: Real> Var<T> {
    /// `attention(q, k, v)` with `heads` heads and an optional dropout mask
    /// `[N, H, S, S]` (entries 0 or `1/(1−p)`); see the module docs.
    ///
    /// # Panics
    /// If `q`, `k`, `v` are not all `[N, S, d]`, `heads` does not divide
    /// `d`, or the mask has another shape.
    pub fn attention(&self, k: &Var<T>, v: &Var<T>, heads: usize, mask: Option<Tensor<T>>) -> Var<T> {
        let shape = self.shape().to_vec();
        assert!(
            shape.len() == 3 && k.shape() == shape && v.shape() == shape && heads > 0 && shape[2] % heads == 0,
            "attention: q {shape:?}, k {:?}, v {:?} with {heads} heads",
            k.shape(),
            v.shape()
        );
        let (n, s, d) = (shape[0], shape[1], shape[2]);
        let dims = Dims { s, d, heads, dh: d / heads, sp: s.next_multiple_of(LANES) };
        if let Some(m) = &mask {
            assert_eq!(m.shape(), [n, heads, s, s], "attention: dropout mask shape");
        }
        let standard = |t: &Var<T>| match t.value().is_standard_layout() {
            true => t.shared(),
            false => Arc::new(to_standard(t.value().view())),
        };
        let (qv, kv, vv) = (standard(self), standard(k), standard(v));
        let mask = mask.map(|m| if m.is_standard_layout() { m } else { to_standard(m.view()) });
        let scale = T::one() / T::from_usize(dims.dh).expect("head width fits").sqrt();
        let (ctx, probs) = forward(&qv, &kv, &vv, mask.as_ref(), dims, scale, n);
        record_saving(
            ctx,
            &[self, k, v],
            vec![Arc::clone(&qv), Arc::clone(&kv), Arc::clone(&vv), Arc::clone(&probs)],
            move |g, needs| {
                let g = if g.is_standard_layout() { g } else { to_standard(g.view()) };
                let grads = backward(&g, &qv, &kv, &vv, &probs, mask.as_ref(), dims, scale, needs);
                grads
                    .into_iter()
                    .map(|t| t.map(|t| t.into_shape_with_order(IxDyn(&[n, s, d])).expect("[N, S, d]")))
                    .collect()
            },
        )
    }
}

/// Slice `i` of `len` elements: one sequence's `[S, d]` rows or maps.
fn seq<T>(t: &[T], i: usize, len: usize) -> &[T] {
    &t[i * len..(i + 1) * len]
}

/// A sequence's `[S, d]` rows transposed into `out` (`d` rows of `sp`
/// columns; the padding columns are left as they are, zero).
fn transpose<T: Real>(x: &[T], dims: Dims, out: &mut [T]) {
    for (j, row) in x.chunks_exact(dims.d).enumerate() {
        for (o, &v) in out[j..].iter_mut().step_by(dims.sp).zip(row) {
            *o = v;
        }
    }
}

/// A padded row as blocks of [`LANES`] (`sp` is a multiple of LANES).
#[inline(always)]
fn blocks<T>(x: &mut [T]) -> impl Iterator<Item = &mut [T; LANES]> {
    x.chunks_exact_mut(LANES).map(|b| b.try_into().expect("LANES long"))
}

/// `x ← softmax(c·x)` over the first `s` entries of a padded row of
/// scores; the padding becomes 0. Lane-parallel partial maxima and sums
/// in a fixed order (see [`tree_sum`]).
#[inline(always)]
fn softmax_row<T: Real>(x: &mut [T], s: usize, scale: T) {
    x.iter_mut().for_each(|v| *v *= scale);
    x[s..].fill(T::neg_infinity());
    let mut mx = [T::neg_infinity(); LANES];
    for b in blocks(x) {
        mx.iter_mut().zip(b.iter()).for_each(|(m, &v)| *m = m.max(v));
    }
    let m = mx.iter().fold(T::neg_infinity(), |m, &v| m.max(v));
    let mut acc = [T::zero(); LANES];
    for b in blocks(x) {
        for (a, v) in acc.iter_mut().zip(b.iter_mut()) {
            *v = (*v - m).exp_inline();
            *a += *v;
        }
    }
    let total = tree_sum(acc);
    for b in blocks(x) {
        b.iter_mut().for_each(|v| *v /= total);
    }
}

/// `∂x ← c·p ⊙ (∂x − Σ ∂x ⊙ p)` for a padded row (softmax, then the
/// scale, backward), in place.
#[inline(always)]
fn softmax_backward_row<T: Real>(dx: &mut [T], p: &[T], scale: T) {
    let mut acc = [T::zero(); LANES];
    for (b, pb) in blocks(dx).zip(p.chunks_exact(LANES)) {
        acc.iter_mut().zip(b.iter().zip(pb)).for_each(|(a, (&g, &p))| *a += g * p);
    }
    let dot = tree_sum(acc);
    for (b, pb) in blocks(dx).zip(p.chunks_exact(LANES)) {
        b.iter_mut().zip(pb).for_each(|(g, &p)| *g = p * (*g - dot) * scale);
    }
}

/// `out ← p ⊙ m` on the first `s` entries of padded rows (`m` unpadded),
/// padding 0.
fn masked<T: Real>(p: &[T], m: &[T], dims: Dims, out: &mut [T]) {
    let (s, sp) = (dims.s, dims.sp);
    for ((o, p), m) in out.chunks_exact_mut(sp).zip(p.chunks_exact(sp)).zip(m.chunks_exact(s)) {
        let (kept, padding) = o.split_at_mut(s);
        kept.iter_mut().zip(&p[..s]).zip(m).for_each(|((o, &p), &m)| *o = p * m);
        padding.fill(T::zero());
    }
}

/// `ctx` and the probabilities `P` before dropout, `[N, H, S, sp]` with
/// zero padding columns.
#[allow(clippy::too_many_arguments)]
fn forward<T: Real>(
    q: &Tensor<T>,
    k: &Tensor<T>,
    v: &Tensor<T>,
    mask: Option<&Tensor<T>>,
    dims: Dims,
    scale: T,
    n: usize,
) -> (Tensor<T>, Arc<Tensor<T>>) {
    let Dims { s, d, heads, dh, sp } = dims;
    let (qs, ks, vs) = (standard(q), standard(k), standard(v));
    let ms = mask.map(standard);
    let mut ctx = pool::uninit::<T>(IxDyn(&[n, s, d]));
    let mut probs = pool::uninit::<T>(IxDyn(&[n, heads, s, sp]));
    let (cs, ps) = (ctx.as_slice_mut().expect("fresh"), probs.as_slice_mut().expect("fresh"));
    let (row, maps) = (s * d, heads * s * sp);
    let task = |i: usize, ctx: &mut [MaybeUninit<T>], probs: &mut [MaybeUninit<T>]| {
        let (q, k, v) = (seq(qs, i, row), seq(ks, i, row), seq(vs, i, row));
        let (mut kt, mut x, mut pm) = (vec![T::zero(); d * sp], vec![T::zero(); s * sp], vec![T::zero(); s * sp]);
        wide(
            #[inline(always)]
            || {
                transpose(k, dims, &mut kt);
                for (h, p) in probs.chunks_exact_mut(s * sp).enumerate() {
                    let qh = Strided { data: &q[h * dh..], rs: d, cs: 1 };
                    small_gemm(s, dh, sp, qh, &kt[h * dh * sp..], sp, &mut x, sp); // Q_h K_hᵀ
                    x.chunks_exact_mut(sp).for_each(|r| softmax_row(r, s, scale));
                    p.iter_mut().zip(&x).for_each(|(p, &v)| *p = MaybeUninit::new(v));
                    let used = match ms {
                        Some(ms) => {
                            masked(&x, seq(ms, i * heads + h, s * s), dims, &mut pm);
                            &pm
                        }
                        None => &x,
                    };
                    let p = Strided { data: used, rs: sp, cs: 1 };
                    small_gemm(s, s, dh, p, &v[h * dh..], d, &mut ctx[h * dh..], d);
                    // P̃ V_h
                }
            },
        );
    };
    if row > 0 && maps > 0 {
        cs.par_chunks_mut(row).zip(ps.par_chunks_mut(maps)).enumerate().for_each(|(i, (c, p))| task(i, c, p));
    }
    // SAFETY: each sequence's task writes all of its `[S, d]` context rows
    // (`small_gemm` writes its whole S×d_h window, and the heads cover the
    // d columns) and all of its `[H, S, sp]` probabilities (one copy of
    // the S×sp scratch per head); the tasks cover all N sequences. With
    // S·d = 0 or H·S = 0 both are empty.
    unsafe { (ctx.assume_init(), Arc::new(probs.assume_init())) }
}

/// The gradients toward q, k, v (only those `needs` asks for).
#[allow(clippy::too_many_arguments)]
fn backward<T: Real>(
    g: &Tensor<T>,
    q: &Tensor<T>,
    k: &Tensor<T>,
    v: &Tensor<T>,
    probs: &Tensor<T>,
    mask: Option<&Tensor<T>>,
    dims: Dims,
    scale: T,
    needs: &[bool],
) -> Vec<Option<Tensor<T>>> {
    let Dims { s, d, heads, dh, sp } = dims;
    let n = g.shape()[0];
    let (gs, qs, ks, vs, ps) = (standard(g), standard(q), standard(k), standard(v), standard(probs));
    let ms = mask.map(standard);
    let fresh = |need: bool| need.then(|| pool::uninit::<T>(IxDyn(&[n * s * d])));
    let (mut dq, mut dk, mut dv) = (fresh(needs[0]), fresh(needs[1]), fresh(needs[2]));
    let (row, maps) = (s * d, heads * s * sp);
    let task = |i: usize,
                mut dq: Option<&mut [MaybeUninit<T>]>,
                mut dk: Option<&mut [MaybeUninit<T>]>,
                mut dv: Option<&mut [MaybeUninit<T>]>| {
        let (g, q, k, v) = (seq(gs, i, row), seq(qs, i, row), seq(ks, i, row), seq(vs, i, row));
        let (mut vt, mut dp, mut pm) = (vec![T::zero(); d * sp], vec![T::zero(); s * sp], vec![T::zero(); s * sp]);
        wide(
            #[inline(always)]
            || {
                let dp_needed = dq.is_some() || dk.is_some();
                if dp_needed {
                    transpose(v, dims, &mut vt);
                }
                for (h, ph) in seq(ps, i, maps).chunks_exact(s * sp).enumerate() {
                    let mh = ms.map(|m| seq(m, i * heads + h, s * s));
                    // P̃ = P ⊙ M, the matrix the forward multiplied V by.
                    let used = match mh {
                        Some(m) => {
                            masked(ph, m, dims, &mut pm);
                            &pm
                        }
                        None => ph,
                    };
                    if let Some(dv) = dv.as_deref_mut() {
                        let pt = Strided { data: used, rs: 1, cs: sp };
                        small_gemm(s, s, dh, pt, &g[h * dh..], d, &mut dv[h * dh..], d);
                        // P̃ᵀ G_h
                    }
                    if !dp_needed {
                        continue;
                    }
                    let gh = Strided { data: &g[h * dh..], rs: d, cs: 1 };
                    small_gemm(s, dh, sp, gh, &vt[h * dh * sp..], sp, &mut dp, sp); // ∂P̃ = G_h V_hᵀ
                    if let Some(m) = mh {
                        // ∂P = ∂P̃ ⊙ M
                        for (r, m) in dp.chunks_exact_mut(sp).zip(m.chunks_exact(s)) {
                            r.iter_mut().zip(m).for_each(|(v, &m)| *v *= m);
                        }
                    }
                    for (dr, pr) in dp.chunks_exact_mut(sp).zip(ph.chunks_exact(sp)) {
                        softmax_backward_row(dr, pr, scale);
                    }
                    if let Some(dq) = dq.as_deref_mut() {
                        let dx = Strided { data: &dp, rs: sp, cs: 1 };
                        small_gemm(s, s, dh, dx, &k[h * dh..], d, &mut dq[h * dh..], d);
                        // ∂X K_h
                    }
                    if let Some(dk) = dk.as_deref_mut() {
                        let dxt = Strided { data: &dp, rs: 1, cs: sp };
                        small_gemm(s, s, dh, dxt, &q[h * dh..], d, &mut dk[h * dh..], d);
                        // ∂Xᵀ Q_h
                    }
                }
            },
        );
    };
    if row > 0 {
        let (cq, ck, cv) =
            (per_sequence(&mut dq, row, n), per_sequence(&mut dk, row, n), per_sequence(&mut dv, row, n));
        let work: Vec<_> = cq.into_iter().zip(ck).zip(cv).collect();
        work.into_par_iter().enumerate().for_each(|(i, ((q, k), v))| task(i, q, k, v));
    }
    // SAFETY: for every sequence, each requested gradient's `[S, d]` rows
    // are written in full by `small_gemm` (one S×d_h window per head, the
    // heads covering the d columns); the tasks cover all N sequences, and
    // an empty row (S·d = 0) leaves nothing to write.
    [dq, dk, dv].into_iter().map(|t| t.map(|t| unsafe { t.assume_init() })).collect()
}

/// A standard-layout tensor's elements.
fn standard<T>(t: &Tensor<T>) -> &[T] {
    t.as_slice().expect("standard layout")
}

/// A fresh gradient's `[S, d]` slab per sequence (all `None` if it is not
/// computed).
fn per_sequence<T>(t: &mut Option<Tensor<MaybeUninit<T>>>, row: usize, n: usize) -> Vec<Option<&mut [MaybeUninit<T>]>> {
    match t {
        Some(t) => t.as_slice_mut().expect("fresh").chunks_mut(row.max(1)).map(Some).collect(),
        None => (0..n).map(|_| None).collect(),
    }
}
