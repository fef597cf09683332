"""glassbox.spark on a real local Spark: local[1] and local[2] give the
single-process numbers bit for bit, whatever the partitioning; ids are
carried; nulls are missing values; a missing feature column is a clear error."""

import os
import sys

import numpy as np
import pytest

import glassbox

pyspark = pytest.importorskip("pyspark")
from glassbox import spark as gs  # noqa: E402

FIXED = dict(method="gausslegendre", n_steps=50)


@pytest.fixture(scope="module", params=["local[1]", "local[2]"])
def spark(request):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master(request.param)
        .appName("glassbox-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "3")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def table(demo_df):
    df = demo_df.copy()
    df.insert(0, "row", np.arange(len(df)))
    df.loc[3, "Wagon_Speed"] = np.nan  # a null in Spark
    return df


def _by_row(result):
    pdf = result.toPandas().sort_values("row").reset_index(drop=True)
    return pdf


@pytest.mark.parametrize("partitions", [1, 3])
def test_matches_single_process(spark, table, demo_model, partitions):
    sdf = spark.createDataFrame(table).repartition(partitions)
    out = _by_row(gs.explain(sdf, demo_model, id_cols=["row", "Tc_BaseCode"], **FIXED))
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(table)
    cols = [f"ig_{f}" for f in e.feature_names]
    assert list(out["row"]) == list(range(len(table)))
    assert list(out["Tc_BaseCode"]) == list(table["Tc_BaseCode"])
    assert np.array_equal(out[cols].to_numpy(), e.values)
    assert np.array_equal(out["delta"].to_numpy(), e.delta)
    assert np.array_equal(out["output"].to_numpy(), e.output)
    assert list(out["prediction"]) == [demo_model._native.class_names[c] for c in e.predicted]
    assert np.array_equal(out["probability"].to_numpy(), e.probabilities[:, 1])
    assert out.loc[3, "converged"]


def test_adaptive_default_and_background(spark, table, demo_model):
    bg = glassbox.Background(table, filter={"Tc_target": 0}, k=4, seed=2)
    sdf = spark.createDataFrame(table).repartition(2)
    out = _by_row(gs.explain(sdf, demo_model, id_cols=["row"], baselines=bg))
    e = glassbox.IntegratedGradients(demo_model).attribute(table, baselines=bg)
    assert np.array_equal(out[[f"ig_{f}" for f in e.feature_names]].to_numpy(), e.values)
    assert np.array_equal(out["evaluations"].to_numpy(), e.evaluations)
    assert np.array_equal(out["baseline_output"].to_numpy(), e.base_values)


def test_global_importance(spark, table, demo_model):
    out = gs.explain(spark.createDataFrame(table), demo_model, id_cols=["row"], **FIXED)
    g = gs.global_importance(out)
    e = glassbox.IntegratedGradients(demo_model, **FIXED).attribute(table)
    ref = dict(zip(e.feature_names, np.abs(e.values).mean(axis=0)))
    assert np.allclose([ref[f] for f in g["feature"]], g["mean_abs"], rtol=1e-12, atol=1e-15)
    assert np.all(np.diff(g["mean_abs"].to_numpy()) <= 0)


def test_missing_feature_column_is_a_clear_error(spark, table, demo_model):
    sdf = spark.createDataFrame(table.drop(columns=["Wagon_Speed"]))
    with pytest.raises(ValueError, match="Wagon_Speed"):
        gs.explain(sdf, demo_model)
    with pytest.raises(ValueError, match="nope"):
        gs.explain(spark.createDataFrame(table), demo_model, id_cols=["nope"])
