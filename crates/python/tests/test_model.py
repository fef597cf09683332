"""GroupLassoTransformer: scikit-learn conventions, files, learned attributes."""

import json
import pickle

import numpy as np
import pandas as pd
import pytest

import glassbox
from conftest import SMALL, toy_table


def test_fit_predict_on_pandas_and_numpy(toy_model):
    model, df, y = toy_model
    p = model.predict_proba(df)
    assert p.shape == (len(df), 2)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert list(model.classes_) == [0, 1]  # the label values of y, as scikit-learn keeps them
    assert list(model.feature_names_in_) == ["a", "b", "noise"]
    # numpy rows in feature order give the same probabilities, bit for bit
    assert np.array_equal(model.predict_proba(df.to_numpy()), p)
    acc = np.mean(model.predict(df) == y)
    assert acc > 0.8, acc
    assert set(model.report_) >= {"metrics", "selected_features", "dropped_features", "groups", "lambda", "path", "config"}


def test_same_seed_same_model_bits():
    df, y = toy_table(200)
    a = glassbox.GroupLassoTransformer(penalty=0.0, **SMALL).fit(df, y)
    b = glassbox.GroupLassoTransformer(penalty=0.0, **SMALL, n_threads=1).fit(df, y)
    assert a.to_bytes() == b.to_bytes()


def test_get_set_params_and_clone(toy_model):
    from sklearn.base import clone

    model, df, y = toy_model
    params = model.get_params()
    assert params["d_model"] == 8 and params["penalty"] == 0.0
    c = clone(model)
    assert c.get_params() == params
    assert not hasattr(c, "classes_")
    c.set_params(epochs=2)
    assert c.epochs == 2
    with pytest.raises(ValueError):
        c.set_params(nonsense=1)


def test_pipeline_and_cross_val_score():
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import Pipeline

    df, y = toy_table(300)
    pipe = Pipeline([("glt", glassbox.GroupLassoTransformer(penalty=0.0, **SMALL))])
    scores = cross_val_score(pipe, df, y, cv=2)
    assert scores.shape == (2,) and np.all(scores > 0.7), scores


def test_group_lasso_drops_noise_with_groups():
    df, y = toy_table(600, seed=3)
    m = glassbox.GroupLassoTransformer(penalty="auto", **dict(SMALL, epochs=20, path_points=4, path_epochs=8))
    m.fit(df, y, groups={"signal": ["a", "b"]})
    assert set(m.groups_) == {"signal", "noise"}
    assert "a" in m.selected_features_
    assert set(m.selected_features_) | set(m.dropped_features_) == {"a", "b", "noise"}


def test_save_load_same_bytes_and_predictions(tmp_path, toy_model):
    model, df, _ = toy_model
    path = tmp_path / "m.glt"
    model.save(str(path))
    assert path.read_bytes() == model.to_bytes()
    again = glassbox.load(str(path))
    assert np.array_equal(again.predict_proba(df), model.predict_proba(df))
    assert again.get_params()["d_model"] == 8


def test_pickle_round_trip(toy_model):
    model, df, _ = toy_model
    again = pickle.loads(pickle.dumps(model))
    assert again.to_bytes() == model.to_bytes()
    assert np.array_equal(again.predict_proba(df), model.predict_proba(df))


def test_loads_cli_model(demo_model, demo_df):
    p = demo_model.predict_proba(demo_df)
    assert p.shape == (len(demo_df), 2)
    assert demo_model.report_["config"]["label"] == "Tc_target"


def test_safetensors_export(tmp_path, demo_model):
    path = tmp_path / "w.safetensors"
    demo_model.to_safetensors(str(path))
    raw = path.read_bytes()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + n])
    assert "tokenizer.weight" in header and "head.weight" in header
    assert json.loads(header["__metadata__"]["feature_names"]) == list(demo_model.feature_names_in_)


def test_non_numeric_columns_are_left_out():
    df, y = toy_table(200)
    df = df.assign(code=["x"] * len(df))
    m = glassbox.GroupLassoTransformer(penalty=0.0, **SMALL).fit(df, y)
    assert list(m.feature_names_in_) == ["a", "b", "noise"]


def test_arrow_input(toy_model):
    pa = pytest.importorskip("pyarrow")
    model, df, _ = toy_model
    table = pa.Table.from_pandas(df, preserve_index=False)
    assert np.array_equal(model.predict_proba(table), model.predict_proba(df))


def test_relaxed_refit_is_reported_and_can_be_turned_off():
    df, y = toy_table(600, seed=3)
    opts = dict(SMALL, epochs=20)
    m = glassbox.GroupLassoTransformer(penalty=0.05, **opts).fit(df, y)
    refit = m.report_["refit"]
    assert set(refit) >= {"kept", "epochs", "groups_kept", "penalised", "refit"}
    assert refit["groups_kept"] == sum(g["selected"] for g in m.report_["groups"])
    # the refit never brings back a dropped group: a group is selected iff its weights are non-zero
    for g in m.report_["groups"]:
        assert (g["norm"] == 0.0) == (not g["selected"])
    off = glassbox.GroupLassoTransformer(penalty=0.05, refit=False, **opts).fit(df, y)
    assert off.report_.get("refit") is None
    assert off.get_params()["refit"] is False


def test_small_tables_get_the_small_size_defaults():
    df, y = toy_table(300)
    m = glassbox.GroupLassoTransformer(penalty=0.0, epochs=3).fit(df, y)
    cfg = m.report_["config"]["model"]
    assert (cfg["d_model"], cfg["n_blocks"], cfg["d_ff"]) == (32, 2, 64)
    assert m.get_params()["d_model"] is None  # the setting stays unset; the rule filled it in
