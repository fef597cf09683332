"""From what users hold (pandas, numpy, Arrow) to the columns the Rust
library reads.

A table crosses into Rust as ``(names, columns)``: each column is either a
float64 numpy array (missing = NaN) or a list of ``str``/``None`` (text,
missing = ``None``). Text columns are parsed by the same code as the CLI's
CSV reader, with the same missing-value tokens, so a table gives the same
model and attributions whether it came from a CSV file, pandas or Arrow.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

Column = Union[np.ndarray, List[Optional[str]]]


def _is_dataframe(x: Any) -> bool:
    return hasattr(x, "columns") and hasattr(x, "dtypes") and hasattr(x, "iloc")


def _pandas_column(series: Any) -> Column:
    import pandas as pd

    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return [None if _is_na(v) else str(v) for v in series.tolist()]


def _is_na(v: Any) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (ImportError, TypeError, ValueError):
        return isinstance(v, float) and v != v


def _arrow_columns(obj: Any) -> Tuple[List[str], List[Column]]:
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("reading an Arrow stream (__arrow_c_stream__) needs pyarrow: pip install pyarrow") from e
    table = pa.table(obj)
    names, columns = [], []
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t) or pa.types.is_decimal(t):
            columns.append(np.asarray(pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64))
        else:
            columns.append([None if v is None else str(v) for v in col.to_pylist()])
        names.append(str(name))
    return names, columns


def columns_of(x: Any, feature_names: Optional[Sequence[str]] = None) -> Tuple[List[str], List[Column]]:
    """``(names, columns)`` of a 2-D table.

    ``x`` is a pandas DataFrame (names from its columns), anything with
    ``__arrow_c_stream__`` (pyarrow, polars, …), or a 2-D array-like whose
    columns are named by ``feature_names`` (default ``x0, x1, …``).
    """
    if _is_dataframe(x):
        names = [str(c) for c in x.columns]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"the table has duplicate column names: {', '.join(dup)}")
        return names, [_pandas_column(x.iloc[:, i]) for i in range(len(names))]
    if hasattr(x, "__arrow_c_stream__"):
        return _arrow_columns(x)
    arr = np.asarray(x)
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-D table (rows × features), got an array of shape {arr.shape}")
    if feature_names is None:
        feature_names = [f"x{i}" for i in range(arr.shape[1])]
    names = [str(n) for n in feature_names]
    if len(names) != arr.shape[1]:
        raise ValueError(f"the array has {arr.shape[1]} columns but {len(names)} feature names are known")
    if arr.dtype.kind in "biuf":
        values = arr.astype(np.float64, copy=False)
        return names, [np.ascontiguousarray(values[:, i]) for i in range(arr.shape[1])]
    return names, [[None if _is_na(v) else str(v) for v in arr[:, i]] for i in range(arr.shape[1])]


def label_values(y: Any) -> Tuple[List[str], Optional[str]]:
    """Labels as strings (the CLI reads them as text too) and the label's name."""
    texts, name, _ = labels_with_values(y)
    return texts, name


def labels_with_values(y: Any) -> Tuple[List[str], Optional[str], Dict[str, Any]]:
    """Labels as strings, the label's name, and text → the first original value."""
    name = getattr(y, "name", None)
    if hasattr(y, "__arrow_c_stream__") and not hasattr(y, "tolist"):
        import pyarrow as pa

        y = pa.chunked_array(y).to_pylist() if not hasattr(y, "to_pylist") else y.to_pylist()
    values = y.tolist() if hasattr(y, "tolist") else list(y)
    out: List[str] = []
    originals: Dict[str, Any] = {}
    for i, v in enumerate(values):
        if _is_na(v):
            raise ValueError(f"y: row {i}: the label is missing")
        t = _label_text(v)
        out.append(t)
        originals.setdefault(t, v)
    return out, (str(name) if name is not None else None), originals


def class_array(names: Sequence[str], originals: Optional[Dict[str, Any]] = None) -> np.ndarray:
    """``classes_``: the original label values of ``y`` when known; for a
    loaded model its class names as ints, floats or strings (whichever all parse as)."""
    if originals is not None and all(n in originals for n in names):
        return np.asarray([originals[n] for n in names])
    for kind in (int, float):
        try:
            return np.asarray([kind(n) for n in names])
        except ValueError:
            pass
    return np.asarray(list(names), dtype=object)


def _label_text(v: Any) -> str:
    """A label as the CSV file would hold it: 1.0 → "1", True → "1"."""
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def model_inputs(native: Any, X: Any):
    """``(x, missing)`` of ``X`` for a native model: a table's columns are
    matched to the model's features by name (sequence models build their
    windows from the key and order columns); a 2-D array's columns are the
    model's features in order; a 3-D array holds sequence rows ``(n, T, F)``."""
    if _is_dataframe(X) or hasattr(X, "__arrow_c_stream__"):
        names, columns = columns_of(X)
        return native.inputs(names, columns)
    arr = np.asarray(X)
    if arr.ndim == 3:
        x = np.ascontiguousarray(arr, dtype=np.float64)
        return native.rows(x)
    names, columns = columns_of(arr, list(native.feature_names))
    return native.inputs(names, columns)
