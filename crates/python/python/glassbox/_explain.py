"""``IntegratedGradients``: Captum's shape, glassbox's guarantees.

``IntegratedGradients(model).attribute(X, baselines=..., target=...)``
computes ``IG_i(x) = (x_i − x'_i)·∫₀¹ ∂F(x' + α(x − x'))/∂x_i dα`` with
exact gradients from the Rust tape, by default with adaptive quadrature
that places gradient evaluations where F changes until every row meets
``|δ| ≤ max(rel·|ΔF|, abs)``; ``method="gausslegendre", n_steps=50`` gives
Captum's fixed rule and the CLI's numbers bit for bit.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._explanation import Explanation
from ._tables import _is_dataframe, _label_text, columns_of, model_inputs

METHODS = ("adaptive", "gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid")


def _native_of(model: Any) -> Any:
    native = getattr(model, "_native", None)
    if native is None:
        raise ValueError("the model is not fitted: fit it or load one with glassbox.load(path)")
    return native


class Background:
    """Averaged baselines of Bardhan et al.: ``k`` reference rows drawn
    (seeded) from ``data`` rows matching ``filter``; the attribution is the
    mean of the ``k`` IG runs (``B_bg``). With ``weights`` (a column name of
    ``data`` or one weight per row) rows are drawn with probability ∝ weight,
    with replacement (``B_bgw``).

    ``filter`` maps column names to values (all must match; values compare as
    the CSV text would, so ``{"label": 0}`` matches ``0`` and ``0.0``). The
    same rows, ``k`` and ``seed`` give the same draw as ``explain --baseline
    background --background-filter COL=VALUE --baselines k --seed seed``.

    >>> Background(df, filter={"Tc_target": 0}, k=10)  # doctest: +SKIP
    """

    def __init__(
        self,
        data: Any,
        filter: Optional[Mapping[str, Any]] = None,
        k: int = 10,
        weights: Union[None, str, Sequence[float], np.ndarray] = None,
        seed: int = 0,
    ):
        if int(k) < 1:
            raise ValueError(f"k = {k}: at least one baseline row is needed")
        self.data, self.filter, self.k, self.weights, self.seed = data, dict(filter or {}), int(k), weights, int(seed)

    @property
    def kind(self) -> str:
        return "background" if self.weights is None else "weighted"

    def _matching_rows(self) -> np.ndarray:
        n = len(self.data)
        keep = np.ones(n, dtype=bool)
        if self.filter and not _is_dataframe(self.data):
            raise ValueError("Background(filter=...) needs a DataFrame with the filter's columns")
        for col, value in self.filter.items():
            if col not in self.data.columns:
                raise ValueError(f"Background filter: no column {col!r} in the data (columns: {', '.join(map(str, self.data.columns))})")
            want = _label_text(value)
            keep &= np.asarray([_label_text(v) == want for v in self.data[col].tolist()], dtype=bool)
        rows = np.flatnonzero(keep)
        if rows.size == 0:
            desc = ", ".join(f"{c}={v}" for c, v in self.filter.items())
            raise ValueError(f"Background filter {desc}: no row of the data matches")
        return rows

    def _weights(self, rows: np.ndarray) -> np.ndarray:
        w = self.weights
        if isinstance(w, str):
            if not _is_dataframe(self.data) or w not in self.data.columns:
                raise ValueError(f"Background weights: no column {w!r} in the data")
            w = self.data[w].to_numpy(dtype=np.float64, na_value=np.nan)
        w = np.asarray(w, dtype=np.float64)
        if w.shape != (len(self.data),):
            raise ValueError(f"Background weights: {w.shape[0] if w.ndim else 0} weights for {len(self.data)} rows")
        return np.ascontiguousarray(w[rows])

    def spec(self, native: Any) -> Dict[str, Any]:
        x, _ = model_inputs(native, self.data)
        rows = self._matching_rows()
        spec: Dict[str, Any] = {"kind": self.kind, "reference": np.ascontiguousarray(x[rows]), "count": self.k, "seed": self.seed}
        if self.weights is not None:
            spec["weights"] = self._weights(rows)
        return spec


class WeightedBackground(Background):
    """:class:`Background` drawn with probability ∝ ``weights`` (``B_bgw``)."""

    def __init__(self, data: Any, weights: Union[str, Sequence[float], np.ndarray], filter=None, k: int = 10, seed: int = 0):
        super().__init__(data, filter=filter, k=k, weights=weights, seed=seed)


BaselineLike = Union[str, np.ndarray, Any, Background]


def baseline_spec(native: Any, baselines: BaselineLike) -> Dict[str, Any]:
    """The native baseline spec of ``"zero"``, ``"mean"``, rows or a :class:`Background`."""
    if isinstance(baselines, str):
        if baselines not in ("zero", "mean"):
            raise ValueError(f"baselines={baselines!r} must be 'zero', 'mean', rows, or glassbox.Background(...)")
        return {"kind": baselines}
    if isinstance(baselines, Background):
        return baselines.spec(native)
    if baselines is None:
        return {"kind": "zero"}
    x, _ = model_inputs(native, baselines)
    return {"kind": "rows", "rows": np.ascontiguousarray(x)}


class IntegratedGradients:
    """Integrated Gradients of a fitted or loaded :class:`GroupLassoTransformer`.

    Parameters
    ----------
    model : GroupLassoTransformer
    method : "adaptive" (default) or a fixed rule: "gausslegendre",
        "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid".
    n_steps : int
        Steps of a fixed rule (50, as Captum).
    tolerance : float or (rel, abs)
        Adaptive: each row until ``|δ| ≤ max(rel·|F(x) − F(x')|, abs)``
        (default ``(1e-3, 1e-6)``). With a fixed rule a tolerance switches on
        doubling mode (n doubled per row until the relative delta is met).
    max_evaluations : int or None
        Adaptive: the per-row cap of gradient evaluations (a row that hits
        it is reported with ``converged = False``).
    output : "probability" (default) or "logit"
    precision : "auto" (default: f64 for adaptive, the model's f32 for a
        fixed rule, as the CLI), "f32" or "f64"

    Examples
    --------
    >>> ig = glassbox.IntegratedGradients(model)  # doctest: +SKIP
    >>> e = ig.attribute(df.iloc[:5], baselines="zero", target=1)  # doctest: +SKIP
    >>> e.to_pandas(0).head(10)  # doctest: +SKIP
    """

    def __init__(
        self,
        model: Any,
        method: str = "adaptive",
        n_steps: int = 50,
        tolerance: Union[None, float, Tuple[float, float]] = None,
        max_evaluations: Optional[int] = None,
        output: str = "probability",
        precision: str = "auto",
    ):
        if method not in METHODS:
            raise ValueError(f"method {method!r} must be one of {', '.join(METHODS)}")
        self.model, self.method, self.n_steps = model, method, int(n_steps)
        self.tolerance, self.max_evaluations, self.output, self.precision = tolerance, max_evaluations, output, precision

    def _settings(self, target: int) -> Dict[str, Any]:
        tol = self.tolerance
        if tol is not None and not isinstance(tol, (tuple, list)):
            tol = (float(tol),)
        return {
            "method": self.method,
            "steps": self.n_steps,
            "tolerance": None if tol is None else [float(t) for t in tol],
            "max_evaluations": self.max_evaluations,
            "target": target,
            "output": self.output,
            "precision": self.precision,
        }

    def attribute(
        self,
        X: Any,
        baselines: BaselineLike = "zero",
        target: Union[int, str, Sequence[Union[int, str]]] = 1,
        return_convergence_delta: bool = False,
        n_threads: Optional[int] = None,
    ):
        """Explains the rows of ``X`` (DataFrame, 2-D array, 3-D array of
        sequence rows, or an Arrow stream).

        ``baselines``: ``"zero"`` (raw zero, the seed's default), ``"mean"``
        (training mean), rows (array or DataFrame; several rows are
        averaged), or :class:`Background` / :class:`WeightedBackground`.
        ``target``: a class index or name; a list gives each row its own
        target (Captum's convention); ``"all"`` explains every class in one
        shared pass (one forward, one backward per class; each class bitwise
        as alone) and returns ``{class name: Explanation}``.

        Returns an :class:`Explanation` (with ``return_convergence_delta``:
        ``(explanation, delta)``, as Captum returns ``(attributions, delta)``).
        The GIL is released during the work; ``n_threads`` runs it on a
        local pool of that many threads.
        """
        native = _native_of(self.model)
        x, missing = model_inputs(native, X)
        base = baseline_spec(native, baselines)
        info_base = self._info(native, X, base["kind"])
        if isinstance(target, str) and target == "all":
            # Every class in one shared pass: one forward, one backward per class.
            results = native.explain_all(x, missing, base, self._settings(0), n_threads)
            out = {}
            for c, (value, res) in enumerate(zip(getattr(self.model, "classes_", native.class_names), results)):
                key = value.item() if hasattr(value, "item") else value
                out[key] = Explanation(res, dict(info_base, target=c))
            return (out, {k: v.delta for k, v in out.items()}) if return_convergence_delta else out
        if isinstance(target, (list, tuple, np.ndarray)):
            e = self._per_row_targets(native, x, missing, base, info_base, list(target), n_threads)
        else:
            t = native.target_class(str(target))
            e = Explanation(native.explain(x, missing, base, self._settings(t), n_threads), dict(info_base, target=t))
        return (e, e.delta) if return_convergence_delta else e

    def _per_row_targets(self, native, x, missing, base, info, targets: List[Any], n_threads) -> Explanation:
        if len(targets) != x.shape[0]:
            raise ValueError(f"target has {len(targets)} entries for {x.shape[0]} rows")
        idx = np.asarray([native.target_class(str(t)) for t in targets], dtype=np.int64)
        classes = sorted(set(idx.tolist()))
        parts = {}
        for c in classes:
            rows = np.flatnonzero(idx == c)
            parts[c] = (rows, native.explain(np.ascontiguousarray(x[rows]), np.ascontiguousarray(missing[rows]), base, self._settings(c), n_threads))
        merged: Dict[str, Any] = {}
        first = parts[classes[0]][1]
        for key, value in first.items():
            if isinstance(value, np.ndarray):
                merged[key] = np.empty((x.shape[0],) + value.shape[1:], dtype=value.dtype)
        merged["baseline_output"] = np.empty(x.shape[0])
        merged["baselines"] = first["baselines"]
        for c, (rows, res) in parts.items():
            for key in merged:
                if isinstance(merged[key], np.ndarray) and key != "baseline_output":
                    merged[key][rows] = res[key]
            merged["baseline_output"][rows] = res["baseline_output"]
        return Explanation(merged, dict(info, target=idx))

    def _info(self, native: Any, X: Any, kind: str) -> Dict[str, Any]:
        ids: Dict[str, List[str]] = {}
        index = None
        if _is_dataframe(X):
            for c in native.id_columns:
                if c in X.columns:
                    ids[c] = [str(v) for v in X[c].tolist()]
            index = np.asarray(X.index) if np.asarray(X.index).dtype.kind in "iu" else None
        return {
            "model": native,
            "labels": native.labels,
            "feature_names": native.feature_names,
            "class_names": native.class_names,
            "group_names": native.group_names,
            "group_members": native.group_members,
            "output": self.output,
            "baseline_kind": kind,
            "method": self.method,
            "ids": ids,
            "index": index,
        }
