"""glassbox.evaluate gives what `explain evaluate` writes."""

import json

import numpy as np

import glassbox
from conftest import ROOT, run_cli


def _strip(d):
    d = dict(d)
    for k in ("seconds", "model", "data"):
        d.pop(k, None)
    return d


def test_evaluate_matches_cli_without_retraining(tmp_path):
    data = tmp_path / "collider.csv"
    run_cli("synth", "collider", "--rows", "1500", "--seed", "11", "--out", data)
    model_path = ROOT / "models" / "collider-demo.glt"
    out = tmp_path / "eval"
    run_cli(
        "explain", "evaluate", "--quiet", "--model", model_path, "--data", data, "--weight-column", "weight",
        "--no-retrain", "--explain-rows", "40", "--k-max", "5", "--method", "gausslegendre", "--steps", "50",
        "--out-dir", out,
    )
    cli = json.loads((out / "evaluation.json").read_text())
    model = glassbox.load(str(model_path))
    py = glassbox.evaluate(
        model, glassbox.read_csv(str(data)), weight_column="weight", retrain=False, explain_rows=40, k_max=5,
        method="gausslegendre", n_steps=50,
    )
    assert _strip(py) == _strip(cli)
