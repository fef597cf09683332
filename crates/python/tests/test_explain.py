"""IntegratedGradients and Explanation: axioms, baselines, targets, tables, charts."""

import sys

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox._explanation import TABLE_COLUMNS

FIXED = dict(method="gausslegendre", n_steps=50)


def test_completeness_every_row_adaptive(demo_model, demo_df):
    e = glassbox.IntegratedGradients(demo_model).attribute(demo_df, baselines="zero")
    gap = np.abs(e.values.reshape(len(e), -1).sum(axis=1) - (e.output - e.base_values))
    tol = np.maximum(1e-3 * np.abs(e.output - e.base_values), 1e-6)
    assert np.all(e.converged)
    assert np.all(gap <= tol * 1.0000001), gap.max()
    assert np.array_equal(np.abs(e.delta), gap) or np.allclose(np.abs(e.delta), gap, atol=1e-12)
    assert np.all(e.evaluations > 0)


def test_dropped_features_get_exact_zero(demo_model, demo_df):
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(demo_df.iloc[:5])
    for f in demo_model.dropped_features_:
        j = e.feature_names.index(f)
        assert np.all(e.values[:, j] == 0.0)


@pytest.mark.parametrize("baseline", ["zero", "mean"])
def test_named_baselines(demo_model, demo_df, baseline):
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(demo_df.iloc[:3], baselines=baseline)
    assert e.values.shape == (3, len(demo_model.feature_names_in_))
    assert e.baseline_kind == baseline


def test_rows_and_background_baselines(demo_model, demo_df):
    ig = glassbox.IntegratedGradients(demo_model, **FIXED)
    x = demo_df.iloc[:2]
    rows = ig.attribute(x, baselines=demo_df.iloc[5:8])
    assert rows.baseline_count == 3
    bg = ig.attribute(x, baselines=glassbox.Background(demo_df, filter={"Tc_target": 0}, k=4, seed=1))
    assert bg.baseline_count == 4 and bg.baseline_kind == "background"
    again = ig.attribute(x, baselines=glassbox.Background(demo_df, filter={"Tc_target": 0}, k=4, seed=1))
    assert np.array_equal(bg.values, again.values)
    other = ig.attribute(x, baselines=glassbox.Background(demo_df, filter={"Tc_target": 0}, k=4, seed=2))
    assert not np.array_equal(bg.values, other.values)
    w = np.linspace(0.0, 1.0, len(demo_df))
    wb = ig.attribute(x, baselines=glassbox.WeightedBackground(demo_df, weights=w, k=3))
    assert wb.baseline_kind == "weighted"


def test_targets_by_name_index_list_and_all(demo_model, demo_df):
    ig = glassbox.IntegratedGradients(demo_model, **FIXED)
    x = demo_df.iloc[:4]
    by_index = ig.attribute(x, target=1)
    by_name = ig.attribute(x, target=demo_model.classes_[1])
    assert np.array_equal(by_index.values, by_name.values)
    both = ig.attribute(x, target="all")
    assert set(both) == set(demo_model.classes_)
    assert np.array_equal(both[demo_model.classes_[1]].values, by_index.values)
    mixed = ig.attribute(x, target=[0, 1, 1, 0])
    assert np.array_equal(mixed.values[1], by_index.values[1])
    assert np.array_equal(mixed.values[0], both[demo_model.classes_[0]].values[0])
    # probabilities of two classes sum to one, so their attributions are opposite
    assert np.allclose(both[demo_model.classes_[0]].values, -by_index.values, atol=1e-6)
    # the shared pass gives each class bitwise its own run
    by_zero = ig.attribute(x, target=0)
    for name, one in ((demo_model.classes_[0], by_zero), (demo_model.classes_[1], by_index)):
        assert np.array_equal(both[name].values, one.values) and np.array_equal(both[name].delta, one.delta)


def test_return_convergence_delta(demo_model, demo_df):
    e, delta = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(demo_df.iloc[:2], return_convergence_delta=True)
    assert np.array_equal(delta, e.delta)


def test_seed_table_and_long_form(demo_model, demo_df):
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(demo_df.iloc[:3])
    t = e.to_pandas(1)
    assert list(t.columns) == TABLE_COLUMNS
    assert list(t["Rank"]) == list(range(1, len(t) + 1))
    assert np.all(np.diff(t["Absolute Attribution"].to_numpy()) <= 0)
    cls = demo_model.classes_[1]
    assert set(t["Impact Direction"]) <= {f"promotes {cls}", f"reduces {cls}", "none"}
    assert len(e.to_pandas(0, top=10)) == 10
    long = e.to_frame()
    assert len(long) == 3 * len(e.feature_names)
    assert {"row", "feature", "value", "attribution", "rank", "direction"} <= set(long.columns)
    assert "Tc_BaseCode" in long.columns  # the model's id columns are carried
    g = e.groups()
    assert g.shape == (3, len(e.group_names))
    assert np.allclose(g.to_numpy().sum(axis=1), e.values.sum(axis=1))
    gi = e.global_importance()
    assert np.all(np.diff(gi["mean_abs"].to_numpy()) <= 0)
    assert np.allclose(sorted(gi["mean_abs"]), sorted(np.abs(e.values).mean(axis=0)))


def test_plot_png_bytes_and_files(tmp_path, demo_model, demo_df):
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(demo_df.iloc[:1])
    png = e.plot(0)
    assert bytes(png[:8]) == b"\x89PNG\r\n\x1a\n"
    assert png._repr_png_() == bytes(png)
    svg = tmp_path / "row.svg"
    e.plot(0, path=str(svg))
    assert svg.read_text().lstrip().startswith("<svg") or "<svg" in svg.read_text()[:200]
    with pytest.raises(IndexError):
        e.plot(5)


def test_to_shap_without_shap_is_a_clear_import_error(monkeypatch, demo_model, demo_df):
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(demo_df.iloc[:1])
    monkeypatch.setitem(sys.modules, "shap", None)
    with pytest.raises(ImportError, match="pip install shap"):
        e.to_shap()


def test_to_shap_with_shap(demo_model, demo_df):
    shap = pytest.importorskip("shap")
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(demo_df.iloc[:2])
    s = e.to_shap()
    assert isinstance(s, shap.Explanation)
    assert np.array_equal(s.values, e.values)


def test_adaptive_and_fixed_agree_on_smooth_rows(toy_model):
    model, df, _ = toy_model
    a = glassbox.IntegratedGradients(model).attribute(df.iloc[:20])
    f = glassbox.IntegratedGradients(model, method="gausslegendre", n_steps=200, precision="f64").attribute(df.iloc[:20])
    assert np.allclose(a.values, f.values, atol=2e-3 * np.abs(f.values).max())
