//! The tape: a Wengert list of the operations that lead from leaves which
//! require gradients to an output, and the reverse walk over it.
//!
//! Every op appends one node in creation order, so a node's inputs always
//! have smaller indices than the node itself and `backward` is a single walk
//! from the output down to index 0, with no sort. A node stores, for each of
//! its inputs, the input's index (or `None` for a constant) and a closure
//! that maps the gradient of the node's output to the gradients of its
//! tracked inputs. Gradients that reach a node from several uses are summed.
//!
//! Only values that depend on a leaf created with [`Tape::leaf`] are ever
//! recorded. Everything else (model parameters during explanation, any
//! computation in inference) is a constant [`Var`] that lives outside every
//! tape, so no gradient is computed toward it and inference builds no tape
//! at all.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use ndarray::ArrayD;

use crate::layout::to_standard;
use crate::parallel::zip_inplace;
use crate::pool;
use crate::Real;

/// The tensor type all glassbox crates share: an n-dimensional ndarray.
pub type Tensor<T> = ArrayD<T>;

/// Maps the gradient of a node's output to the gradients of its inputs.
/// `needs[i]` says whether input `i` is tracked; untracked inputs get `None`
/// and their gradient is never computed. The gradient is passed by value,
/// so a rule may reuse its buffer (pass it through, or work in place).
pub(crate) type BackwardFn<T> = Box<dyn Fn(Tensor<T>, &[bool]) -> Vec<Option<Tensor<T>>>>;

struct Node<T: Real> {
    /// Tape index of each input, `None` for constants.
    parents: Vec<Option<usize>>,
    /// `None` for leaves.
    backward: Option<BackwardFn<T>>,
    /// The tensors `backward` holds, shared, so that their buffers can go
    /// back to the [`pool`] when the tape drops.
    saved: Vec<Arc<Tensor<T>>>,
}

impl<T: Real> Drop for Node<T> {
    /// Drops the rule (and its references to the saved tensors) first;
    /// a saved tensor no one else holds any more is recycled. Nodes drop in
    /// order, so a tensor several rules saved is recycled by the last.
    fn drop(&mut self) {
        self.backward = None;
        for t in self.saved.drain(..) {
            if let Ok(t) = Arc::try_unwrap(t) {
                pool::recycle(t);
            }
        }
    }
}

/// A recording of one computation. Cloning a tape clones a handle to the
/// same recording.
///
/// ```
/// use glassbox_autodiff::{Tape, Var};
/// use ndarray::array;
///
/// let tape = Tape::<f64>::new();
/// let x = tape.leaf(array![[1.0, 2.0]].into_dyn());          // requires grad
/// let w = Var::constant(array![[3.0], [4.0]].into_dyn());     // frozen
/// let y = x.matmul(&w).tanh().sum_all();                      // y = tanh(x·w)
/// let grads = y.backward();
/// let dx = grads.get(&x).unwrap();                            // (1 − tanh²(11))·wᵀ
/// let s = 1.0 - 11f64.tanh().powi(2);
/// assert!((dx[[0, 0]] - 3.0 * s).abs() < 1e-15 && (dx[[0, 1]] - 4.0 * s).abs() < 1e-15);
/// assert!(grads.get(&w).is_none());                           // never computed
/// ```
pub struct Tape<T: Real> {
    nodes: Rc<RefCell<Vec<Node<T>>>>,
}

impl<T: Real> Clone for Tape<T> {
    fn clone(&self) -> Self {
        Tape { nodes: Rc::clone(&self.nodes) }
    }
}

impl<T: Real> Default for Tape<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Real> Tape<T> {
    /// An empty tape.
    pub fn new() -> Self {
        Tape { nodes: Rc::new(RefCell::new(Vec::new())) }
    }

    /// A leaf that requires gradients.
    pub fn leaf(&self, value: Tensor<T>) -> Var<T> {
        self.leaf_shared(Arc::new(value))
    }

    /// A leaf that requires gradients, sharing its value (no copy).
    pub fn leaf_shared(&self, value: Arc<Tensor<T>>) -> Var<T> {
        let id = self.push(Node { parents: Vec::new(), backward: None, saved: Vec::new() });
        Var { value, node: Some((self.clone(), id)) }
    }

    /// Number of recorded nodes (leaves included).
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&self, node: Node<T>) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        nodes.len() - 1
    }

    fn same(&self, other: &Tape<T>) -> bool {
        Rc::ptr_eq(&self.nodes, &other.nodes)
    }
}

/// A value in a computation: a tensor plus, when it depends on a leaf that
/// requires gradients, its place on that leaf's tape.
pub struct Var<T: Real> {
    value: Arc<Tensor<T>>,
    node: Option<(Tape<T>, usize)>,
}

impl<T: Real> Clone for Var<T> {
    fn clone(&self) -> Self {
        Var { value: Arc::clone(&self.value), node: self.node.clone() }
    }
}

impl<T: Real> std::fmt::Debug for Var<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Var")
            .field("shape", &self.shape())
            .field("node", &self.node.as_ref().map(|(_, id)| *id))
            .finish()
    }
}

impl<T: Real> Var<T> {
    /// A constant: on no tape, never differentiated.
    pub fn constant(value: Tensor<T>) -> Self {
        Var { value: Arc::new(value), node: None }
    }

    /// A constant sharing its value (no copy), e.g. a frozen parameter.
    pub fn constant_shared(value: Arc<Tensor<T>>) -> Self {
        Var { value, node: None }
    }

    /// The value.
    pub fn value(&self) -> &Tensor<T> {
        &self.value
    }

    /// The value as a shared pointer.
    pub fn shared(&self) -> Arc<Tensor<T>> {
        Arc::clone(&self.value)
    }

    /// The value in standard layout as a shared pointer: the value itself
    /// when it already is, else a standard copy (`to_standard`), for ops
    /// whose kernels read plain row-major slices.
    pub(crate) fn shared_standard(&self) -> Arc<Tensor<T>> {
        match self.value.is_standard_layout() {
            true => self.shared(),
            false => Arc::new(to_standard(self.value.view())),
        }
    }

    /// The value, copied only if it is shared.
    pub fn into_value(self) -> Tensor<T> {
        Arc::try_unwrap(self.value).unwrap_or_else(|shared| (*shared).clone())
    }

    /// The shape of the value.
    pub fn shape(&self) -> &[usize] {
        self.value.shape()
    }

    /// Number of dimensions.
    pub fn ndim(&self) -> usize {
        self.value.ndim()
    }

    /// Whether a gradient flows back through this value.
    pub fn requires_grad(&self) -> bool {
        self.node.is_some()
    }

    /// The same value as a constant: gradients stop here.
    pub fn detach(&self) -> Self {
        Var { value: Arc::clone(&self.value), node: None }
    }

    /// Gradients of `sum(self)` toward every leaf upstream (the seed is a
    /// tensor of ones, so for a scalar output this is the usual gradient).
    pub fn backward(&self) -> Gradients<T> {
        self.backward_with(Tensor::from_elem(self.value.raw_dim(), T::one()))
    }

    /// Vector–Jacobian product: gradients of `Σ seed ⊙ self` toward every
    /// leaf upstream. `seed` has the shape of `self`.
    ///
    /// # Panics
    /// If `seed`'s shape differs from the value's.
    pub fn backward_with(&self, seed: Tensor<T>) -> Gradients<T> {
        assert_eq!(seed.shape(), self.shape(), "backward seed shape must match the output");
        let Some((tape, out)) = &self.node else {
            return Gradients { tape: None, grads: Vec::new() };
        };
        let nodes = tape.nodes.borrow();
        let mut grads: Vec<Option<Tensor<T>>> = vec![None; out + 1];
        grads[*out] = Some(seed);
        for id in (0..=*out).rev() {
            let node = &nodes[id];
            let Some(backward) = &node.backward else { continue }; // a leaf keeps its gradient
            let Some(grad) = grads[id].take() else { continue }; // not on the path to `self`
            let needs: Vec<bool> = node.parents.iter().map(Option::is_some).collect();
            let input_grads = backward(grad, &needs);
            debug_assert_eq!(input_grads.len(), node.parents.len());
            for (parent, g) in node.parents.iter().zip(input_grads) {
                if let (Some(p), Some(g)) = (parent, g) {
                    accumulate(&mut grads[*p], g);
                }
            }
        }
        Gradients { tape: Some(tape.clone()), grads }
    }

    /// The tape this value is on, if any.
    pub fn tape(&self) -> Option<&Tape<T>> {
        self.node.as_ref().map(|(tape, _)| tape)
    }
}

fn accumulate<T: Real>(slot: &mut Option<Tensor<T>>, g: Tensor<T>) {
    match slot {
        Some(acc) => {
            zip_inplace(acc, &g, |a, b| a + b);
            pool::recycle(g);
        }
        None => *slot = Some(g),
    }
}

/// Records an op: its output `value`, its `inputs` and its `backward` rule.
/// If no input is tracked the result is a constant and nothing is recorded.
///
/// # Panics
/// If tracked inputs come from different tapes.
pub(crate) fn record<T: Real>(
    value: impl Into<Arc<Tensor<T>>>,
    inputs: &[&Var<T>],
    backward: impl Fn(Tensor<T>, &[bool]) -> Vec<Option<Tensor<T>>> + 'static,
) -> Var<T> {
    record_saving(value, inputs, Vec::new(), backward)
}

/// [`record`] for a `backward` that holds the tensors `saved` (shared
/// handles to the same values): their buffers are recycled into the
/// [`pool`] when the tape drops, for the next tape's outputs.
pub(crate) fn record_saving<T: Real>(
    value: impl Into<Arc<Tensor<T>>>,
    inputs: &[&Var<T>],
    saved: Vec<Arc<Tensor<T>>>,
    backward: impl Fn(Tensor<T>, &[bool]) -> Vec<Option<Tensor<T>>> + 'static,
) -> Var<T> {
    let mut tape: Option<&Tape<T>> = None;
    let parents: Vec<Option<usize>> = inputs
        .iter()
        .map(|v| {
            v.node.as_ref().map(|(t, id)| {
                match tape {
                    Some(first) => assert!(first.same(t), "inputs are recorded on different tapes"),
                    None => tape = Some(t),
                }
                *id
            })
        })
        .collect();
    let value = value.into();
    let Some(tape) = tape else { return Var::constant_shared(value) };
    let tape = tape.clone();
    let id = tape.push(Node { parents, backward: Some(Box::new(backward)), saved });
    Var { value, node: Some((tape, id)) }
}

/// The gradients a backward pass computed for the leaves of one tape.
pub struct Gradients<T: Real> {
    tape: Option<Tape<T>>,
    grads: Vec<Option<Tensor<T>>>,
}

impl<T: Real> Gradients<T> {
    /// The gradient of a leaf; `None` for a constant, a leaf on another
    /// tape, or a leaf the output does not depend on.
    pub fn get(&self, leaf: &Var<T>) -> Option<&Tensor<T>> {
        let (tape, id) = leaf.node.as_ref()?;
        if !self.tape.as_ref().is_some_and(|t| t.same(tape)) {
            return None;
        }
        self.grads.get(*id)?.as_ref()
    }

    /// Removes and returns a leaf's gradient (see [`Gradients::get`]).
    pub fn take(&mut self, leaf: &Var<T>) -> Option<Tensor<T>> {
        let (tape, id) = leaf.node.as_ref()?;
        if !self.tape.as_ref().is_some_and(|t| t.same(tape)) {
            return None;
        }
        self.grads.get_mut(*id)?.take()
    }

    /// Number of gradients held (leaves reached by the backward pass).
    pub fn count(&self) -> usize {
        self.grads.iter().filter(|g| g.is_some()).count()
    }
}
