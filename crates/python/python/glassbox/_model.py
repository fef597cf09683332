"""``GroupLassoTransformer``: the GLT with scikit-learn conventions.

The constructor takes the ``train`` command's flags as parameters;
``fit`` runs the same Rust training (split, scaler, dense fit, λ path,
threshold, held-out report), so a table gives bitwise the same model from
Python as from ``train`` with the same settings and seed.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

from . import _native
from ._tables import class_array, columns_of, label_values, labels_with_values, model_inputs

try:  # scikit-learn is optional: with it, clone/Pipeline/cross_val_score see a classifier.
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import ClassifierMixin as _Classifier
except ImportError:  # pragma: no cover - exercised only without scikit-learn

    class _Base:  # type: ignore[no-redef]
        """get_params / set_params by the constructor's signature (sklearn's contract)."""

        @classmethod
        def _param_names(cls) -> List[str]:
            import inspect

            sig = inspect.signature(cls.__init__)
            return [p for p in sig.parameters if p != "self"]

        def get_params(self, deep: bool = True) -> Dict[str, Any]:
            return {k: getattr(self, k) for k in self._param_names()}

        def set_params(self, **params: Any) -> "_Base":
            names = self._param_names()
            for k, v in params.items():
                if k not in names:
                    raise ValueError(f"invalid parameter {k!r} for {type(self).__name__} (valid: {', '.join(names)})")
                setattr(self, k, v)
            return self

    class _Classifier:  # type: ignore[no-redef]
        _estimator_type = "classifier"

        def score(self, X: Any, y: Any) -> float:
            labels, _ = label_values(y)
            return float(np.mean(np.asarray(self.predict(X)).astype(str) == np.asarray(labels)))


GroupsSpec = Union[None, str, Mapping[str, Sequence[str]]]


class GroupLassoTransformer(_Classifier, _Base):
    """A transformer over feature tokens whose input weights carry a group
    lasso penalty ``λ·Σ_g √p_g·‖W_g‖_F``, so whole features or sensor groups
    reach exact zeros and get exactly zero attribution.

    Parameters (the ``train`` flags)
    ----------
    penalty : "auto" or float
        λ. ``"auto"`` fits a dense model, then a λ path with warm starts, and
        keeps the sparsest support whose refit (see ``refit``) scores within
        0.005 of the best on validation (``train --lambda``).
    d_model, n_heads, n_blocks, d_ff : int or None
        Token width, attention heads, encoder blocks, FFN width. None takes
        the size rule: (64, 4, 3, 128), or (32, 4, 2, 64) for a table under
        20,000 rows.
    epochs, batch_size, learning_rate, patience : training loop (epochs None:
        200, or 100 under 2,000 rows; 256, 1e-3, 15).
    path_points, path_epochs : points of the λ path and maximum epochs per
        point (8; None: 20, or 15 under 2,000 rows). A point stops earlier
        once its kept groups have not changed for ``settle`` epochs and
        none is on course to zero within its remaining epochs (5; 0 = never).
    refit : bool
        The relaxed lasso (default True; ``train --no-refit`` turns it off):
        the path's supports are refit with λ = 0 and the sparsest whose
        validation score is within 0.005 of the best is kept (a fixed λ's
        one support is refit, and kept when it scores at least as well).
        False: the penalised model, chosen on penalised scores.
    balanced : bool
        Weight classes by inverse frequency (default True).
    seed : int
        Seed of initialisation, split, shuffling and dropout.
    n_threads : int or None
        Threads of this estimator's calls (a local pool; None = one per core).

    Examples
    --------
    >>> import numpy as np, glassbox
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3)); y = (X[:, 0] > 0).astype(int)
    >>> m = glassbox.GroupLassoTransformer(penalty=0.0, d_model=8, n_heads=2, n_blocks=1, d_ff=16, epochs=5)
    >>> m.fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        penalty: Union[str, float] = "auto",
        d_model: Optional[int] = None,
        n_heads: int = 4,
        n_blocks: Optional[int] = None,
        d_ff: Optional[int] = None,
        epochs: Optional[int] = None,
        batch_size: int = 256,
        learning_rate: float = 1e-3,
        patience: int = 15,
        path_points: int = 8,
        path_epochs: Optional[int] = None,
        settle: int = 5,
        refit: bool = True,
        balanced: bool = True,
        seed: int = 0,
        n_threads: Optional[int] = None,
    ):
        self.penalty = penalty
        self.d_model = d_model
        self.n_heads = n_heads
        self.n_blocks = n_blocks
        self.d_ff = d_ff
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.patience = patience
        self.path_points = path_points
        self.path_epochs = path_epochs
        self.settle = settle
        self.refit = refit
        self.balanced = balanced
        self.seed = seed
        self.n_threads = n_threads

    # -- training -------------------------------------------------------

    def _settings(self) -> Dict[str, Any]:
        return {
            "lambda": str(self.penalty),
            "d_model": self.d_model,
            "n_heads": self.n_heads,
            "n_blocks": self.n_blocks,
            "d_ff": self.d_ff,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "lr": float(self.learning_rate),
            "patience": self.patience,
            "path_points": self.path_points,
            "path_epochs": self.path_epochs,
            "settle": int(self.settle),
            "refit": bool(self.refit),
            "balanced": bool(self.balanced),
            "seed": int(self.seed),
        }

    def fit(
        self,
        X: Any,
        y: Any,
        groups: GroupsSpec = None,
        split_by: Optional[Sequence[Any]] = None,
        feature_names: Optional[Sequence[str]] = None,
    ) -> "GroupLassoTransformer":
        """Trains on ``X`` (DataFrame, 2-D array or Arrow stream) and labels ``y``.

        ``groups`` is a mapping ``name → [feature names or globs]`` or the
        path of a groups TOML file (features not named are singletons);
        ``split_by`` holds a key per row (e.g. the track section) so that all
        rows of one key stay in one of the train/validation/test splits.
        Non-numeric columns of a DataFrame are left out of the features.
        """
        names, columns = columns_of(X, feature_names)
        labels, label_name, originals = labels_with_values(y)
        if len(labels) != (len(columns[0]) if columns else 0):
            raise ValueError(f"X has {len(columns[0]) if columns else 0} rows but y has {len(labels)}")
        split = None if split_by is None else [str(v) for v in (split_by.tolist() if hasattr(split_by, "tolist") else split_by)]
        if isinstance(groups, Mapping):
            groups = {str(k): [str(f) for f in v] for k, v in groups.items()}
        label = next(n for n in (label_name, "label", "__label__") if n is not None and n not in names)
        self._native = _native.fit(names, columns, labels, label, self._settings(), groups, split, self.n_threads)
        self._set_learned(originals)
        return self

    def _set_learned(self, originals: Optional[Dict[str, Any]] = None) -> None:
        n = self._native
        self.feature_names_in_ = np.asarray(n.feature_names, dtype=object)
        self.n_features_in_ = len(n.feature_names)
        self.classes_ = class_array(n.class_names, originals)
        self.report_: Dict[str, Any] = json.loads(n.report_json)
        self.selected_features_ = list(self.report_["selected_features"])
        self.dropped_features_ = list(self.report_["dropped_features"])
        self.lambda_ = float(self.report_["lambda"])
        self.groups_ = dict(zip(n.group_names, [[n.feature_names[i] for i in m] for m in n.group_members]))

    def _check_fitted(self) -> Any:
        native = getattr(self, "_native", None)
        if native is None:
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit(X, y) or glassbox.load(path)")
        return native

    # -- prediction -----------------------------------------------------

    def _inputs(self, X: Any):
        """``(x, missing)``: the model's input rows in raw units, imputed."""
        return model_inputs(self._check_fitted(), X)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities ``(n, C)`` in ``classes_`` order."""
        x, _ = self._inputs(X)
        return self._native.predict_proba(x, self.n_threads)

    def predict(self, X: Any) -> np.ndarray:
        """Predicted class names (binary: at the validation-tuned threshold)."""
        probs = self.predict_proba(X)
        return self.classes_[self._native.predicted_class(probs)]

    # -- files ----------------------------------------------------------

    def save(self, path: str) -> None:
        """Writes the ``.glt`` model file (the same bytes ``train`` writes)."""
        self._check_fitted().save(str(path))

    def to_safetensors(self, path: str) -> None:
        """Exports the weights as safetensors (PyTorch conventions, SPEC §5)."""
        self._check_fitted().to_safetensors(str(path))

    def to_bytes(self) -> bytes:
        """The model file's bytes."""
        return bytes(self._check_fitted().to_bytes())

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        native = state.pop("_native", None)
        if native is not None:
            state["_model_bytes"] = bytes(native.to_bytes())
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        blob = state.pop("_model_bytes", None)
        self.__dict__.update(state)
        if blob is not None:
            self._native = _native.Model.from_bytes(blob, "<pickle>")

    def __sklearn_is_fitted__(self) -> bool:
        return getattr(self, "_native", None) is not None


def load(path: str) -> GroupLassoTransformer:
    """Reads a ``.glt`` model file written by ``train`` or :meth:`GroupLassoTransformer.save`.

    The estimator's parameters are set from the file's training report, so
    ``clone(load(p))`` refits with the same settings.
    """
    native = _native.Model.load(str(path))
    report = json.loads(native.report_json)
    cfg = report.get("config", {})
    model, fit = cfg.get("model", {}), cfg.get("fit", {})
    path_cfg = cfg.get("path", {})
    est = GroupLassoTransformer(
        penalty=cfg.get("lambda_mode", "auto") if cfg.get("lambda_mode", "auto") == "auto" else float(cfg["lambda_mode"]),
        d_model=model.get("d_model", 64),
        n_heads=model.get("n_heads", 4),
        n_blocks=model.get("n_blocks", 3),
        d_ff=model.get("d_ff", 128),
        epochs=fit.get("epochs", 200),
        batch_size=fit.get("batch_size", 256),
        learning_rate=fit.get("lr", 1e-3),
        patience=fit.get("patience", 15),
        path_points=path_cfg.get("points", 8),
        path_epochs=path_cfg.get("epochs_per_point", 20),
        settle=fit.get("settle", 5),
        refit=cfg.get("refit", False),
        balanced=cfg.get("balanced_class_weights", True),
        seed=report.get("seed", 0),
    )
    est._native = native
    est._set_learned()
    return est
