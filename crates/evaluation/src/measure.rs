//! Steps 2 and 3 of the evaluation: deletion curves of every baseline's
//! attributions (against a random order with the same replacement values)
//! and top-k retraining of every ranking, in parallel.

use glassbox_autodiff::Tensor;
use glassbox_glt::Model;
use glassbox_ig::Output;
use ndarray::{Array2, Ix2};
use rayon::prelude::*;

use crate::baseline_run::BaselineRun;
use crate::deletion::{curve_area, deletion_curve};
use crate::error::EvaluationError;
use crate::results::{Deletion, RankingResult, RetrainPoint, Retraining};
use crate::retrain::{distinct_subsets, TopKRetrainer};

/// One deletion curve per baseline run, each with its random-order control.
pub fn deletion_curves(
    model: &Model,
    x: &Tensor<f64>,
    runs: &[BaselineRun],
    random_rows: &[Vec<usize>],
    k_max: usize,
    output: Output,
    target: usize,
) -> Result<Vec<Deletion>, EvaluationError> {
    let score = |m: &Array2<f64>| -> Result<Vec<f64>, EvaluationError> {
        let out = match output {
            Output::Probability => model.probabilities(&m.clone().into_dyn())?,
            Output::Logit => model.logits(&m.clone().into_dyn())?,
        };
        Ok(out.column(target).to_vec())
    };
    let x = x.view().into_dimensionality::<Ix2>().map_err(|e| EvaluationError::Encode(e.to_string()))?;
    runs.iter()
        .map(|r| {
            let curve = deletion_curve(x, &r.row_orders(), r.baseline_rows.view(), k_max, score)?;
            let random_curve = deletion_curve(x, random_rows, r.baseline_rows.view(), k_max, score)?;
            Ok(Deletion {
                ranking: r.name.clone(),
                area: curve_area(&curve),
                random_area: curve_area(&random_curve),
                curve,
                random_curve,
            })
        })
        .collect()
}

/// Retrains on the top k of every ranking, k = 1…k_max, and on all
/// features (the reference): every distinct feature set once, in parallel;
/// `started(models)` before, `advance()` after each model.
pub fn retrain_top_k(
    retrainer: &TopKRetrainer<'_>,
    rankings: &[RankingResult],
    k_max: usize,
    lambda: f64,
    started: &dyn Fn(usize),
    advance: &(dyn Fn() + Sync),
) -> Result<Retraining, EvaluationError> {
    let orders: Vec<Vec<usize>> = rankings.iter().map(|r| r.order.clone()).collect();
    let n_features = orders.first().map_or(0, Vec::len);
    let (mut subsets, which) = distinct_subsets(&orders, k_max);
    subsets.push((0..n_features).collect());
    started(subsets.len());
    let scores: Vec<_> = subsets
        .par_iter()
        .map(|s| {
            let r = retrainer.score(s);
            advance();
            r
        })
        .collect::<Result<_, _>>()
        .map_err(EvaluationError::Retraining)?;
    let all_features = scores.last().cloned().expect("the full set is always trained");
    let points = rankings
        .iter()
        .zip(&which)
        .flat_map(|(r, w)| {
            w.iter().enumerate().map(|(i, &s)| RetrainPoint {
                ranking: r.name.clone(),
                k: i + 1,
                features: r.names[..=i].to_vec(),
                score: scores[s].clone(),
            })
        })
        .collect();
    let test_rows = retrainer.test_rows().len();
    Ok(Retraining {
        models_trained: subsets.len(),
        test_rows,
        weight_scale: retrainer.rows() as f64 / test_rows.max(1) as f64,
        lambda,
        all_features,
        points,
    })
}
