"""Explaining a Spark DataFrame where it lives, through Spark's own
``mapInArrow`` (no cluster of our own).

>>> from glassbox import spark as gs                                     # doctest: +SKIP
>>> result = gs.explain(spark.table("rail.preprocess_training_table"),   # doctest: +SKIP
...                     "/dbfs/models/rail.glt", id_cols=["Tc_BaseCode", "Tc_date"],
...                     baselines=glassbox.Background(reference_pdf, filter={"Tc_target": 0}, k=10))
>>> gs.global_importance(result).head(15)                                # doctest: +SKIP

How it runs:

- On the driver: the model file is read once, its features checked against
  the DataFrame's columns, and the baseline resolved to its ``K`` rows (a
  :class:`glassbox.Background` is drawn here, once, with its seed); the
  model bytes and the baseline rows travel with the function.
- In each task: the model is decoded once, then every Arrow batch of the
  partition is explained with ``spark.task.cpus`` threads (``n_threads``
  overrides).
- Each row's attributions depend on that row and the baseline only, so the
  result is bitwise the same as :meth:`glassbox.IntegratedGradients.attribute`
  on the same rows, whatever the partitioning.

Output columns, in order: the ``id_cols`` (as they are), ``prediction``
(predicted class name), ``probability`` (P of the target class), ``output``
(F(x)), ``baseline_output`` (F(x')), ``delta``, ``relative_delta``,
``evaluations``, ``converged``, then one ``double`` column per feature,
``<prefix><feature>`` (default prefix ``ig_``).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._explain import IntegratedGradients, baseline_spec
from ._tables import columns_of

RESULT_COLUMNS = ["prediction", "probability", "output", "baseline_output", "delta", "relative_delta", "evaluations", "converged"]


def _model_bytes(model: Any) -> bytes:
    if isinstance(model, bytes):
        return model
    if isinstance(model, (str, os.PathLike)):
        with open(model, "rb") as f:
            return f.read()
    native = getattr(model, "_native", None)
    if native is None:
        raise ValueError("model must be a .glt path, its bytes, or a fitted/loaded GroupLassoTransformer")
    return bytes(native.to_bytes())


def _task_threads(df: Any, n_threads: Optional[int]) -> int:
    if n_threads is not None:
        return int(n_threads)
    try:
        return max(1, int(df.sparkSession.conf.get("spark.task.cpus", "1")))
    except Exception:  # pragma: no cover - a session without that key
        return 1


def _baseline_rows(native: Any, baselines: Any) -> Tuple[Dict[str, Any], str]:
    """The baseline as its explicit rows, resolved (and drawn) on the driver."""
    if hasattr(baselines, "toPandas"):  # a Spark DataFrame of baseline rows
        baselines = baselines.toPandas()
    spec = baseline_spec(native, baselines)
    kind = spec["kind"]
    if kind in ("zero", "mean"):
        return spec, kind
    return {"kind": "rows", "rows": np.ascontiguousarray(native.baseline_rows(spec))}, kind


def explain(
    df: Any,
    model: Union[str, bytes, Any],
    baselines: Any = "zero",
    id_cols: Optional[Sequence[str]] = None,
    target: Union[int, str] = 1,
    method: str = "adaptive",
    n_steps: int = 50,
    tolerance: Union[None, float, Tuple[float, float]] = None,
    max_evaluations: Optional[int] = None,
    output: str = "probability",
    precision: str = "auto",
    prefix: str = "ig_",
    n_threads: Optional[int] = None,
) -> Any:
    """Explains every row of the Spark DataFrame ``df`` and returns a Spark
    DataFrame (columns in the module doc). ``model`` is a ``.glt`` path
    readable on the driver, the file's bytes, or a fitted estimator.
    ``baselines``: ``"zero"``, ``"mean"``, rows (pandas/numpy/Spark
    DataFrame, averaged), or :class:`glassbox.Background` /
    :class:`glassbox.WeightedBackground` over a pandas DataFrame of
    reference rows. The other settings are :class:`IntegratedGradients`'."""
    import pyarrow as pa
    from pyspark.sql import types as T

    blob = _model_bytes(model)
    native = _native.Model.from_bytes(blob, str(model) if isinstance(model, str) else "<model>")
    if len(native.row_shape) != 1:
        raise ValueError(
            "glassbox.spark.explain supports tabular models; explain a sequence model per entity "
            "with glassbox.IntegratedGradients on its rows (e.g. in groupBy(key).applyInPandas)"
        )
    id_cols = list(id_cols or [])
    missing = [c for c in list(native.feature_names) + id_cols if c not in df.columns]
    if missing:
        raise ValueError(f"the DataFrame has no column {', '.join(repr(c) for c in missing)} (columns: {', '.join(df.columns)})")
    target_index = native.target_class(str(target))
    settings = IntegratedGradients(None, method=method, n_steps=n_steps, tolerance=tolerance,
                                   max_evaluations=max_evaluations, output=output, precision=precision)._settings(target_index)
    base, _ = _baseline_rows(native, baselines)
    # The settings and baseline are checked on the driver (one row), so bad input fails before the job.
    width = native.row_shape[0]
    native.explain(np.zeros((1, width)), np.zeros((1, width), dtype=bool), base, settings, 1)
    threads = _task_threads(df, n_threads)
    labels = list(native.labels)
    class_names = list(native.class_names)
    features = list(native.feature_names)
    schema = T.StructType(
        [df.schema[c] for c in id_cols]
        + [
            T.StructField("prediction", T.StringType(), False),
            T.StructField("probability", T.DoubleType(), False),
            T.StructField("output", T.DoubleType(), False),
            T.StructField("baseline_output", T.DoubleType(), False),
            T.StructField("delta", T.DoubleType(), False),
            T.StructField("relative_delta", T.DoubleType(), False),
            T.StructField("evaluations", T.LongType(), False),
            T.StructField("converged", T.BooleanType(), False),
        ]
        + [T.StructField(prefix + name, T.DoubleType(), False) for name in labels]
    )
    broadcast = df.sparkSession.sparkContext.broadcast(blob)

    def explain_partition(batches: Iterator[Any]) -> Iterator[Any]:
        task_model = _native.Model.from_bytes(broadcast.value, "<model>")  # once per task
        for batch in batches:
            if batch.num_rows == 0:
                continue
            table = pa.Table.from_batches([batch]).select(features)
            names, columns = columns_of(table)
            x, miss = task_model.inputs(names, columns)
            r = task_model.explain(x, miss, base, settings, threads)
            cols: Dict[str, Any] = {c: batch.column(c) for c in id_cols}
            cols["prediction"] = pa.array([class_names[int(c)] for c in r["predicted"]], pa.string())
            cols["probability"] = pa.array(r["probabilities"][:, target_index], pa.float64())
            cols["output"] = pa.array(r["output"], pa.float64())
            cols["baseline_output"] = pa.array(np.full(batch.num_rows, r["baseline_output"]), pa.float64())
            cols["delta"] = pa.array(r["delta"], pa.float64())
            cols["relative_delta"] = pa.array(r["relative_delta"], pa.float64())
            cols["evaluations"] = pa.array(r["evaluations"], pa.int64())
            cols["converged"] = pa.array(r["converged"], pa.bool_())
            attr = r["attributions"].reshape(batch.num_rows, -1)
            for j, name in enumerate(labels):
                cols[prefix + name] = pa.array(attr[:, j], pa.float64())
            yield pa.RecordBatch.from_arrays(list(cols.values()), names=list(cols.keys()))

    return df.mapInArrow(explain_partition, schema)


def global_importance(result: Any, prefix: str = "ig_") -> Any:
    """Mean |IG| and mean IG per attribution column of an :func:`explain`
    result, over all its rows (a Spark aggregation; the sums run in Spark's
    order, so they equal the single-process means to rounding, not bit for
    bit). Returns a pandas DataFrame sorted by mean |IG|."""
    from pyspark.sql import functions as F

    cols = [c for c in result.columns if c.startswith(prefix)]
    if not cols:
        raise ValueError(f"no attribution columns ({prefix}*) in the DataFrame")
    aggs = [F.avg(F.abs(F.col(c))).alias(f"abs|{c}") for c in cols] + [F.avg(F.col(c)).alias(f"mean|{c}") for c in cols]
    row = result.agg(*aggs).collect()[0].asDict()
    import pandas as pd

    frame = pd.DataFrame(
        {
            "feature": [c[len(prefix):] for c in cols],
            "mean_abs": [row[f"abs|{c}"] for c in cols],
            "mean": [row[f"mean|{c}"] for c in cols],
        }
    )
    return frame.sort_values("mean_abs", ascending=False, kind="stable").reset_index(drop=True)
