//! Multi-head scaled dot-product attention as one op, for the tiny
//! per-head products of a transformer on short sequences.
//!
//! For queries `q ∈ R^{N×S_q×d}`, keys and values `k, v ∈ R^{N×S×d}` and
//! `H` heads of width `d_h = d/H` (head `h` is columns `h·d_h..(h+1)·d_h`),
//! per sequence `n` and head `h`: `P = softmax(Q_h K_hᵀ·c)` over keys
//! (`c = 1/√d_h`), `P̃ = P ⊙ M` with an optional dropout mask
//! `M ∈ R^{N×H×S_q×S}`, and `ctx_h = P̃ V_h`; the output is
//! `ctx ∈ R^{N×S_q×d}`, heads side by side. Self-attention is `S_q = S`;
//! fewer queries (the [CLS] row alone) give only those rows' outputs.
//!
//! Backward, from `G = ∂ctx`: `∂P̃ = G_h V_hᵀ`, `∂V_h = P̃ᵀ G_h`,
//! `∂P = ∂P̃ ⊙ M`, `∂X = c·P ⊙ (∂P − rowsum(∂P ⊙ P))` for the scaled
//! scores `X`, `∂Q_h = ∂X K_h`, `∂K_h = ∂Xᵀ Q_h`.
//!
//! The same arithmetic as `q.reshape·permute` → `matmul_t` → `mul_scalar`
//! → `softmax` → `dropout` → `matmul` → `permute·reshape`, without the head
//! copies, the intermediate tensors or a general GEMM per head: every
//! product is [`small_gemm`] on strided views. The maps are kept
//! transposed (`S` rows of keys, one column per query), so the softmax's
//! maxima and sums run down the rows, whole vectors of queries at a time,
//! instead of across the lanes of one short row (which left the forward
//! waiting on one reduction after another: 7.7 → 4.7 ms for 400 sequences
//! of 25 tokens, 4 heads). Sequences run in parallel, one task each;
//! every sum has a fixed order, so the bits do not depend on the thread
//! count.

use std::mem::MaybeUninit;
use std::sync::Arc;

use ndarray::IxDyn;
use rayon::prelude::*;

use crate::layout::{into_standard, standard_slice};
use crate::pool;
use crate::small_gemm::{small_gemm, Strided, LANES};
use crate::tape::record_saving;
use crate::vector::wide;
use crate::{Real, Tensor, Var};
use maps::{masked, softmax_backward_columns, softmax_columns, transpose, Scratch};

mod maps;

/// The sizes of one call.
#[derive(Clone, Copy)]
struct Dims {
    /// Keys per sequence.
    s: usize,
    /// Queries per sequence.
    sq: usize,
    d: usize,
    heads: usize,
    dh: usize,
    /// `S_q` rounded up to [`LANES`]: the row length of the maps and the
    /// scratch tiles.
    sp: usize,
}

impl<T: Real> Var<T> {
    /// `attention(q, k, v)` with `heads` heads and an optional dropout mask
    /// `[N, H, S_q, S]` (entries 0 or `1/(1−p)`); see the module docs.
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::Array3;
    /// // Two sequences of 3 tokens, d = 4, 2 heads; the first token's row
    /// // alone as the query gives that row of full self-attention.
    /// let h = Array3::from_shape_fn((2, 3, 4), |(n, s, c)| (n + 2 * s) as f64 * 0.1 - c as f64 * 0.2).into_dyn();
    /// let x = Var::constant(h);
    /// let all = x.attention(&x, &x, 2, None);
    /// let first = x.slice(1, 0..1).attention(&x, &x, 2, None);
    /// assert_eq!(first.shape(), [2, 1, 4]);
    /// assert_eq!(first.value(), &all.value().slice(ndarray::s![.., 0..1, ..]).into_dyn());
    /// ```
    ///
    /// # Panics
    /// If `q` is not `[N, S_q, d]` and `k`, `v` are not both `[N, S, d]`,
    /// `heads` does not divide `d`, or the mask has another shape.
    pub fn attention(&self, k: &Var<T>, v: &Var<T>, heads: usize, mask: Option<Tensor<T>>) -> Var<T> {
        let (qs, ks) = (self.shape().to_vec(), k.shape().to_vec());
        assert!(
            qs.len() == 3
                && ks.len() == 3
                && v.shape() == ks
                && ks[0] == qs[0]
                && ks[2] == qs[2]
                && heads > 0
                && qs[2] % heads == 0,
            "attention: q {qs:?}, k {ks:?}, v {:?} with {heads} heads",
            v.shape()
        );
        let (n, sq, s, d) = (qs[0], qs[1], ks[1], qs[2]);
        let dims = Dims { s, sq, d, heads, dh: d / heads, sp: sq.next_multiple_of(LANES) };
        if let Some(m) = &mask {
            assert_eq!(m.shape(), [n, heads, sq, s], "attention: dropout mask shape");
        }
        let (qv, kv, vv) = (self.shared_standard(), k.shared_standard(), v.shared_standard());
        let mask = mask.map(into_standard);
        let scale = T::one() / T::from_usize(dims.dh).expect("head width fits").sqrt();
        let (ctx, probs) = forward(&qv, &kv, &vv, mask.as_ref(), dims, scale, n);
        record_saving(
            ctx,
            &[self, k, v],
            vec![Arc::clone(&qv), Arc::clone(&kv), Arc::clone(&vv), Arc::clone(&probs)],
            move |g, needs| {
                let g = into_standard(g);
                let grads = backward(&g, &qv, &kv, &vv, &probs, mask.as_ref(), dims, scale, needs);
                grads
                    .into_iter()
                    .zip([sq, s, s])
                    .map(|(t, rows)| t.map(|t| t.into_shape_with_order(IxDyn(&[n, rows, d])).expect("[N, rows, d]")))
                    .collect()
            },
        )
    }
}

/// Slice `i` of `len` elements: one sequence's rows or maps.
fn seq<T>(t: &[T], i: usize, len: usize) -> &[T] {
    &t[i * len..(i + 1) * len]
}

/// `ctx [N, S_q, d]` and the probabilities before dropout, transposed per
/// head (`Pᵀ`: `[N, H, S keys, sp queries]`; the padding query columns
/// hold values no product reads).
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
    let Dims { s, sq, d, heads, dh, sp } = dims;
    let (qs, ks, vs) = (standard_slice(q), standard_slice(k), standard_slice(v));
    let ms = mask.map(standard_slice);
    let mut ctx = pool::uninit::<T>(IxDyn(&[n, sq, d]));
    let mut probs = pool::uninit::<T>(IxDyn(&[n, heads, s, sp]));
    let (cs, ps) = (ctx.as_slice_mut().expect("fresh"), probs.as_slice_mut().expect("fresh"));
    let (queries, row, maps) = (sq * d, s * d, heads * s * sp);
    let task = |scratch: &mut Scratch<T>, i: usize, ctx: &mut [MaybeUninit<T>], probs: &mut [MaybeUninit<T>]| {
        let (q, k, v) = (seq(qs, i, queries), seq(ks, i, row), seq(vs, i, row));
        let Scratch { transposed: qt, map: x, masked: pm, columns } = scratch;
        wide(
            #[inline(always)]
            || {
                transpose(q, dims, qt);
                for (h, p) in probs.chunks_exact_mut(s * sp).enumerate() {
                    let kh = Strided { data: &k[h * dh..], rs: d, cs: 1 };
                    small_gemm(s, dh, sp, kh, &qt[h * dh * sp..], sp, x, sp); // (Q_h K_hᵀ)ᵀ = K_h Q_hᵀ
                    softmax_columns(x, sp, scale, columns, p);
                    // SAFETY: `softmax_columns` wrote every element of `p`
                    // (all S rows of sp columns), and `MaybeUninit<T>` has
                    // `T`'s layout.
                    let p: &[T] = unsafe { std::slice::from_raw_parts(p.as_ptr().cast::<T>(), p.len()) };
                    let used = match ms {
                        Some(ms) => {
                            masked(p, seq(ms, i * heads + h, sq * s), dims, pm);
                            &pm[..]
                        }
                        None => p,
                    };
                    let p = Strided { data: used, rs: 1, cs: sp }; // P̃, read through P̃ᵀ
                    small_gemm(sq, s, dh, p, &v[h * dh..], d, &mut ctx[h * dh..], d);
                    // P̃ V_h
                }
            },
        );
    };
    if queries > 0 && maps > 0 {
        cs.par_chunks_mut(queries)
            .zip(ps.par_chunks_mut(maps))
            .enumerate()
            .for_each_init(|| Scratch::new(dims), |scratch, (i, (c, p))| task(scratch, i, c, p));
    } else if maps > 0 {
        // d = 0 with queries and keys: every score is an empty sum, 0, so
        // each probability is 1/S (what the softmax gives); no context.
        let uniform = T::one() / T::from_usize(s).expect("key count fits");
        ps.iter_mut().for_each(|p| _ = p.write(uniform));
    }
    // SAFETY: each sequence's task writes all of its `[S_q, d]` context
    // rows (`small_gemm` writes its whole S_q×d_h window, and the heads
    // cover the d columns) and all of its `[H, S, sp]` probabilities
    // (`softmax_columns` writes each head's S×sp map); the tasks cover all
    // N sequences. With d = 0 the branch above writes every probability
    // and the context is empty; with S_q = 0 or H·S = 0 (sp = 0 when
    // S_q = 0) both are empty.
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
    let Dims { s, sq, d, heads, dh, sp } = dims;
    let n = g.shape()[0];
    let (gs, qs, ks, vs, ps) =
        (standard_slice(g), standard_slice(q), standard_slice(k), standard_slice(v), standard_slice(probs));
    let ms = mask.map(standard_slice);
    let fresh = |need: bool, rows: usize| need.then(|| pool::uninit::<T>(IxDyn(&[n * rows * d])));
    let (mut dq, mut dk, mut dv) = (fresh(needs[0], sq), fresh(needs[1], s), fresh(needs[2], s));
    let (queries, row, maps) = (sq * d, s * d, heads * s * sp);
    let task = |scratch: &mut Scratch<T>,
                i: usize,
                mut dq: Option<&mut [MaybeUninit<T>]>,
                mut dk: Option<&mut [MaybeUninit<T>]>,
                mut dv: Option<&mut [MaybeUninit<T>]>| {
        let (g, q) = (seq(gs, i, queries), seq(qs, i, queries));
        let (k, v) = (seq(ks, i, row), seq(vs, i, row));
        let Scratch { transposed: gt, map: dp, masked: pm, columns } = scratch;
        wide(
            #[inline(always)]
            || {
                if sq == 0 {
                    // No queries: nothing reached the keys or the values.
                    for slab in [dk.as_deref_mut(), dv.as_deref_mut()].into_iter().flatten() {
                        for v in slab {
                            v.write(T::zero());
                        }
                    }
                    return;
                }
                let dp_needed = dq.is_some() || dk.is_some();
                if dp_needed {
                    transpose(g, dims, gt);
                }
                for (h, ph) in seq(ps, i, maps).chunks_exact(s * sp).enumerate() {
                    let mh = ms.map(|m| seq(m, i * heads + h, sq * s));
                    // P̃ᵀ = (P ⊙ M)ᵀ, the map the forward multiplied V by.
                    let used = match mh {
                        Some(m) => {
                            masked(ph, m, dims, pm);
                            &pm[..]
                        }
                        None => ph,
                    };
                    if let Some(dv) = dv.as_deref_mut() {
                        let pt = Strided { data: used, rs: sp, cs: 1 };
                        small_gemm(s, sq, dh, pt, &g[h * dh..], d, &mut dv[h * dh..], d);
                        // P̃ᵀ G_h
                    }
                    if !dp_needed {
                        continue;
                    }
                    let vh = Strided { data: &v[h * dh..], rs: d, cs: 1 };
                    small_gemm(s, dh, sp, vh, &gt[h * dh * sp..], sp, dp, sp); // ∂P̃ᵀ = V_h G_hᵀ
                    if let Some(m) = mh {
                        // ∂P = ∂P̃ ⊙ M
                        for (kk, r) in dp.chunks_exact_mut(sp).enumerate() {
                            for qq in 0..sq {
                                r[qq] *= m[qq * s + kk];
                            }
                        }
                    }
                    softmax_backward_columns(dp, ph, sp, scale, columns);
                    if let Some(dq) = dq.as_deref_mut() {
                        let dx = Strided { data: &dp[..], rs: 1, cs: sp };
                        small_gemm(sq, s, dh, dx, &k[h * dh..], d, &mut dq[h * dh..], d);
                        // ∂X K_h
                    }
                    if let Some(dk) = dk.as_deref_mut() {
                        let dxt = Strided { data: &dp[..], rs: sp, cs: 1 };
                        small_gemm(s, sq, dh, dxt, &q[h * dh..], d, &mut dk[h * dh..], d);
                        // ∂Xᵀ Q_h
                    }
                }
            },
        );
    };
    if row > 0 {
        let (cq, ck, cv) =
            (per_sequence(&mut dq, queries, n), per_sequence(&mut dk, row, n), per_sequence(&mut dv, row, n));
        let work: Vec<_> = cq.into_iter().zip(ck).zip(cv).collect();
        work.into_par_iter()
            .enumerate()
            .for_each_init(|| Scratch::new(dims), |scratch, (i, ((q, k), v))| task(scratch, i, q, k, v));
    }
    // SAFETY: for every sequence, each requested gradient's rows (`[S_q, d]`
    // or `[S, d]`) are written in full by `small_gemm` (one window of d_h
    // columns per head, the heads covering the d columns), or as zeros
    // when there are no queries; the tasks cover all N sequences, and an
    // empty row (S·d = 0) leaves nothing to write.
    [dq, dk, dv].into_iter().map(|t| t.map(|t| unsafe { t.assume_init() })).collect()
}

/// A fresh gradient's slab of `row` elements per sequence (all `None` if
/// it is not computed; `n` empty slabs if `row = 0`).
fn per_sequence<T>(t: &mut Option<Tensor<MaybeUninit<T>>>, row: usize, n: usize) -> Vec<Option<&mut [MaybeUninit<T>]>> {
    match t {
        Some(t) if row > 0 => t.as_slice_mut().expect("fresh").chunks_mut(row).map(Some).collect(),
        Some(_) => (0..n).map(|_| Some(<&mut [MaybeUninit<T>]>::default())).collect(),
        None => (0..n).map(|_| None).collect(),
    }
}
