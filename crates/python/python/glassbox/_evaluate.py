"""``glassbox.evaluate``: which baseline explains best? The library behind
``explain evaluate`` (rankings per baseline and a random control, deletion
curves, top-k retraining, ground-truth agreement)."""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Sequence

from . import _native
from ._explain import _native_of
from ._tables import columns_of


def evaluate(
    model: Any,
    data: Any,
    rankings: Optional[Sequence[str]] = None,
    k_max: int = 15,
    explain_rows: int = 200,
    baselines: int = 10,
    background_filter: Optional[Mapping[str, Any]] = None,
    weight_column: Optional[str] = None,
    method: str = "adaptive",
    n_steps: int = 50,
    output: str = "probability",
    truth: Optional[Mapping[str, float]] = None,
    retrain: bool = True,
    retrain_lambda: Optional[float] = None,
    seed: int = 0,
    n_threads: Optional[int] = None,
) -> Dict[str, Any]:
    """Runs the evaluation of ``explain evaluate`` on ``data``, the table
    the model was trained on (with its label column; the split is rebuilt
    from the model's seed), and returns what ``evaluation.json`` holds.

    ``truth`` maps feature names to a generator's importance (``synth
    --truth``'s ``"importance"``). ``background_filter`` is one
    ``{column: value}`` pair (default: label = first class).

    >>> result = glassbox.evaluate(model, df, retrain=False)  # doctest: +SKIP
    >>> result["summary"]  # doctest: +SKIP
    """
    native = _native_of(model)
    names, columns = columns_of(data)
    if background_filter is not None and len(background_filter) != 1:
        raise ValueError("background_filter takes one {column: value} pair")
    settings = {
        "rankings": list(rankings or []),
        "k_max": int(k_max),
        "explain_rows": int(explain_rows),
        "baselines": int(baselines),
        "background_filter": None
        if background_filter is None
        else "{}={}".format(*next(iter(background_filter.items()))),
        "weight_column": weight_column,
        "method": method,
        "steps": int(n_steps),
        "output": output,
        "truth": None if truth is None else {str(k): float(v) for k, v in truth.items()},
        "retrain": bool(retrain),
        "retrain_lambda": retrain_lambda,
        "seed": int(seed),
    }
    return json.loads(native.evaluate(names, columns, json.dumps(settings), n_threads))
