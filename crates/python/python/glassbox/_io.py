"""Reading tables the way the CLI reads them."""

from __future__ import annotations

from typing import Any

from . import _native


def read_csv(path: str) -> Any:
    """Reads a CSV file with the CLI's own reader into a pandas DataFrame.

    Numbers are parsed exactly as ``train``/``explain`` parse them (pandas'
    default float parser can differ in the last bit), and the same cells
    count as missing (NaN): empty, ``NaN`` in any case, ``NA``, ``N/A`` and
    ``n/a``. Columns whose every
    present cell is a number become float64; others stay text.

    >>> df = glassbox.read_csv("models/railway-demo.csv")  # doctest: +SKIP
    """
    import pandas as pd

    names, columns = _native.read_table(str(path))
    return pd.DataFrame({n: c for n, c in zip(names, columns)}, columns=names)
