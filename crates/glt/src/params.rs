//! Named parameters: each layer registers its tensors in a [`ParamLayout`]
//! under the names of the safetensors export (SPEC §5) and keeps their
//! indices; a forward pass receives all parameters as one slice of [`Var`]s
//! in layout order (tape leaves when training, constants when explaining).

use glassbox_autodiff::{Real, Tensor, Var};
use ndarray::IxDyn;
use ndarray_rand::rand_distr::Uniform;
use ndarray_rand::RandomExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// How a parameter starts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Init {
    /// All zeros (biases).
    Zeros,
    /// All ones (layer-norm weights).
    Ones,
    /// Uniform in `[−b, b]`.
    Uniform(f64),
}

/// One parameter's name, shape, initialisation and whether weight decay
/// applies to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamSpec {
    /// Safetensors name, e.g. `blocks.0.attn.q.weight`.
    pub name: String,
    /// Shape.
    pub shape: Vec<usize>,
    /// Initialisation.
    pub init: Init,
    /// Whether AdamW's weight decay applies (SPEC §3: not to the
    /// tokenizer, CLS, norms or biases).
    pub decay: bool,
}

/// The ordered list of a model's parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParamLayout {
    /// The parameters in registration order.
    pub specs: Vec<ParamSpec>,
}

impl ParamLayout {
    /// Registers a parameter and returns its index.
    pub fn add(&mut self, name: impl Into<String>, shape: &[usize], init: Init, decay: bool) -> usize {
        self.specs.push(ParamSpec { name: name.into(), shape: shape.to_vec(), init, decay });
        self.specs.len() - 1
    }

    /// The index of a named parameter.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.specs.iter().position(|s| s.name == name)
    }

    /// Fresh parameters drawn from one seeded stream, in layout order
    /// (bitwise the same for the same seed on every machine).
    ///
    /// ```
    /// use glassbox_glt::params::{Init, ParamLayout};
    /// let mut layout = ParamLayout::default();
    /// layout.add("w", &[2, 3], Init::Uniform(0.5), true);
    /// layout.add("b", &[3], Init::Zeros, false);
    /// let p = layout.init(7);
    /// assert_eq!(p, layout.init(7));
    /// assert!(p[0].iter().all(|v| v.abs() <= 0.5) && p[1].iter().all(|&v| v == 0.0));
    /// ```
    pub fn init(&self, seed: u64) -> Vec<Tensor<f32>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        self.specs
            .iter()
            .map(|s| match s.init {
                Init::Zeros => Tensor::zeros(IxDyn(&s.shape)),
                Init::Ones => Tensor::ones(IxDyn(&s.shape)),
                Init::Uniform(b) => {
                    let b = b as f32;
                    let dist = Uniform::new_inclusive(-b, b).expect("finite bound");
                    Tensor::random_using(IxDyn(&s.shape), dist, &mut rng)
                }
            })
            .collect()
    }
}

/// Parameters converted to the precision of a pass, as constants.
pub fn constants<T: Real>(params: &[Tensor<f32>]) -> Vec<Var<T>> {
    params.iter().map(|p| Var::constant(p.mapv(|v| T::c(f64::from(v))))).collect()
}
