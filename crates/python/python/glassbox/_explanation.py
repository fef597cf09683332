"""The result of :meth:`IntegratedGradients.attribute`: attributions of each
explained row, with the checks that make them trustworthy (convergence
delta, evaluations spent, converged flag), and the tables and charts of the
seed notebook."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from . import _native

#: Columns of the per-row table, in the seed notebook's order.
TABLE_COLUMNS = ["Rank", "Feature Name", "Feature Value", "Attribution Score", "Absolute Attribution", "Impact Direction"]


class Chart(bytes):
    """PNG bytes of a chart; Jupyter displays it as an image."""

    def _repr_png_(self) -> bytes:
        return bytes(self)


def _direction(a: float, cls: str) -> str:
    if a > 0:
        return f"promotes {cls}"
    if a < 0:
        return f"reduces {cls}"
    return "none"


class Explanation:
    """Integrated Gradients attributions of ``n`` rows for one target class.

    Attributes
    ----------
    values : ndarray, ``(n, F)`` or ``(n, T, F)`` in sequence mode
        ``IG_i = (x_i − x'_i)·∫₀¹ ∂F(x' + α(x − x'))/∂x_i dα``, in the units
        of ``F`` (probability or logit of the target class).
    base_values : ndarray ``(n,)``
        ``F(x')``, the mean output of the baselines.
    output : ndarray ``(n,)``
        ``F(x)``.
    data : ndarray, shaped like ``values``
        The explained inputs in raw units (missing cells imputed with the
        training mean; see ``missing``).
    missing : ndarray of bool, shaped like ``values``
    delta : ndarray ``(n,)``
        Convergence delta ``Σ_i IG_i − (F(x) − F(x'))``.
    relative_delta : ndarray ``(n,)``
    evaluations : ndarray of int ``(n,)``
        Gradient evaluations spent per row (all baselines together).
    converged : ndarray of bool ``(n,)``
    probabilities : ndarray ``(n, C)``
    predicted : ndarray of int ``(n,)``
        Predicted class index (binary models: at the validation-tuned threshold).
    feature_names : list of str
        One name per attribution column (``f@t-1`` … in sequence mode).
    class_names, target, output_kind, group_names, group_values
    """

    def __init__(self, native: Dict[str, Any], info: Dict[str, Any]):
        self._model = info["model"]
        self.values: np.ndarray = native["attributions"]
        self.output: np.ndarray = native["output"]
        self.base_values: np.ndarray = np.broadcast_to(np.asarray(native["baseline_output"], dtype=np.float64), self.output.shape).copy()
        self.data: np.ndarray = native["values"]
        self.missing: np.ndarray = native["missing"]
        self.delta: np.ndarray = native["delta"]
        self.relative_delta: np.ndarray = native["relative_delta"]
        self.evaluations: np.ndarray = native["evaluations"]
        self.converged: np.ndarray = native["converged"]
        self.probabilities: np.ndarray = native["probabilities"]
        self.predicted: np.ndarray = native["predicted"]
        self.group_values: np.ndarray = native["groups"]
        self.feature_names: List[str] = list(info["labels"])
        self.base_feature_names: List[str] = list(info["feature_names"])
        self.class_names: List[str] = list(info["class_names"])
        self.group_names: List[str] = list(info["group_names"])
        self.group_members: List[List[int]] = [list(m) for m in info["group_members"]]
        #: Explained class index per row (one class unless ``target`` was a list).
        self.targets: np.ndarray = np.broadcast_to(np.asarray(info["target"], dtype=np.int64), self.output.shape).copy()
        self.output_kind: str = info["output"]
        self.baseline_kind: str = info["baseline_kind"]
        self.baseline_count: int = int(native["baselines"])
        self.method: str = info["method"]
        self.ids: Dict[str, List[str]] = info.get("ids") or {}
        self.index: Optional[np.ndarray] = info.get("index")

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def __repr__(self) -> str:
        worst = float(np.max(np.abs(self.relative_delta))) if len(self) else 0.0
        return (
            f"Explanation({len(self)} rows × {len(self.feature_names)} features, target {self.target_name or 'per row'!r}, "
            f"{self.output_kind}, {self.baseline_kind} baseline, {self.method}; "
            f"worst relative delta {worst:.2e}, {int(np.sum(~self.converged))} not converged)"
        )

    @property
    def target(self) -> Optional[int]:
        """The explained class index (None when rows have different targets)."""
        classes = set(self.targets.tolist())
        return classes.pop() if len(classes) == 1 else None

    @property
    def target_name(self) -> Optional[str]:
        """The explained class, by name (None when rows have different targets)."""
        t = self.target
        return None if t is None else self.class_names[t]

    def _class_of(self, row: int) -> str:
        return self.class_names[int(self.targets[row])]

    def _flat(self, row: int):
        if not -len(self) <= row < len(self):
            raise IndexError(f"row {row} is out of range for {len(self)} explained rows")
        return self.values[row].reshape(-1), self.data[row].reshape(-1), self.missing[row].reshape(-1)

    def to_pandas(self, row: int = 0, top: Optional[int] = None):
        """The seed's ranked table of one row.

        Columns: Rank, Feature Name, Feature Value, Attribution Score,
        Absolute Attribution, Impact Direction ("promotes <class>" /
        "reduces <class>" / "none"), sorted by |attribution| (ties: feature
        order). ``top`` keeps the first ``top`` rows.

        >>> e.to_pandas(0, top=10)  # doctest: +SKIP
        """
        import pandas as pd

        attr, value, _ = self._flat(row)
        order = sorted(range(attr.size), key=lambda i: (-abs(attr[i]), i))
        if top is not None:
            order = order[:top]
        cls = self._class_of(row)
        return pd.DataFrame(
            {
                "Rank": np.arange(1, len(order) + 1),
                "Feature Name": [self.feature_names[i] for i in order],
                "Feature Value": [float(value[i]) for i in order],
                "Attribution Score": [float(attr[i]) for i in order],
                "Absolute Attribution": [abs(float(attr[i])) for i in order],
                "Impact Direction": [_direction(attr[i], cls) for i in order],
            }
        )

    def to_frame(self):
        """Long form for all rows: one line per (row, feature) with the
        row's position, its ids, the feature, value, attribution, rank and
        direction."""
        import pandas as pd

        n, width = len(self), len(self.feature_names)
        attr = self.values.reshape(n, width)
        value = self.data.reshape(n, width)
        ranks = np.empty((n, width), dtype=np.int64)
        for r in range(n):
            order = sorted(range(width), key=lambda i: (-abs(attr[r, i]), i))
            ranks[r, order] = np.arange(1, width + 1)
        frame: Dict[str, Any] = {"row": np.repeat(self._row_numbers(), width)}
        for k, vals in self.ids.items():
            frame[k] = np.repeat(np.asarray(vals, dtype=object), width)
        classes = np.repeat([self._class_of(r) for r in range(n)], width) if n else []
        frame.update(
            {
                "feature": np.tile(np.asarray(self.feature_names, dtype=object), n),
                "value": value.reshape(-1),
                "attribution": attr.reshape(-1),
                "abs_attribution": np.abs(attr.reshape(-1)),
                "rank": ranks.reshape(-1),
                "direction": [_direction(a, c) for a, c in zip(attr.reshape(-1), classes)],
            }
        )
        return pd.DataFrame(frame)

    def _row_numbers(self) -> np.ndarray:
        return np.asarray(self.index) if self.index is not None else np.arange(len(self))

    def groups(self):
        """Attribution per feature group (sum of its features' attributions;
        summed over time steps in sequence mode): a DataFrame rows × groups."""
        import pandas as pd

        return pd.DataFrame(self.group_values, columns=self.group_names, index=self._row_numbers())

    def global_importance(self):
        """Global importance over the explained rows: mean |IG| per feature
        (and per group), and mean IG among the rows predicted as each class —
        the same numbers as ``explain --global``. Sorted by mean |IG|."""
        import pandas as pd

        g = self._model.global_importance(self.values, [int(c) for c in self.predicted])
        frame = pd.DataFrame({"feature": self.feature_names, "mean_abs": g["mean_abs"]})
        for c, name in enumerate(self.class_names):
            frame[f"mean_{name}"] = g["mean_by_class"][c]
        frame = frame.sort_values("mean_abs", ascending=False, kind="stable").reset_index(drop=True)
        frame.attrs["rows_by_class"] = dict(zip(self.class_names, g["rows_by_class"]))
        return frame

    def plot(self, row: int = 0, top: int = 15, path: Optional[str] = None) -> Chart:
        """The red/blue bar chart of one row's top attributions (red
        promotes the target class, blue reduces it; dashed zero line).

        Returns PNG bytes (displayed inline in Jupyter); with ``path`` the
        chart is also written there (``.png`` or ``.svg``)."""
        attr, value, _ = self._flat(row)
        number = int(self._row_numbers()[row])
        what = f"{self.output_kind} ({self.baseline_kind} baseline)"
        png = _native.row_chart(self.feature_names, value.tolist(), attr.tolist(), number, what, int(top), path)
        return Chart(png)

    def to_shap(self):
        """A ``shap.Explanation`` (values, base_values, data, feature_names),
        so that every SHAP plot works. Sequence explanations are flattened to
        ``T·F`` columns named ``f@t-k``."""
        try:
            import shap
        except ImportError as e:
            raise ImportError("to_shap() needs the shap package: pip install shap") from e
        n = len(self)
        return shap.Explanation(
            values=self.values.reshape(n, -1),
            base_values=self.base_values,
            data=self.data.reshape(n, -1),
            feature_names=list(self.feature_names),
            output_names=self.target_name or "per-row target",
        )

    def summary(self) -> Dict[str, Any]:
        """Convergence at a glance: rows, worst |δ|, evaluations, not converged."""
        return {
            "rows": len(self),
            "worst_abs_delta": float(np.max(np.abs(self.delta))) if len(self) else 0.0,
            "worst_relative_delta": float(np.max(self.relative_delta)) if len(self) else 0.0,
            "mean_evaluations": float(np.mean(self.evaluations)) if len(self) else 0.0,
            "max_evaluations": int(np.max(self.evaluations)) if len(self) else 0,
            "not_converged": [int(i) for i in np.flatnonzero(~self.converged)],
        }

