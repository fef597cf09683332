"""glassbox: the Group Lasso Transformer with exact Integrated Gradients.

A transformer over feature tokens whose input weights carry a group lasso
penalty, so whole features or sensor groups reach exact zeros, explained by
Integrated Gradients with exact gradients from a Rust reverse-mode tape and
adaptive quadrature that meets completeness on every row.

>>> import glassbox
>>> model = glassbox.load("models/railway-demo.glt")  # doctest: +SKIP
>>> ig = glassbox.IntegratedGradients(model)  # doctest: +SKIP
>>> e = ig.attribute(df.iloc[:3], baselines=glassbox.Background(df, filter={"Tc_target": 0}))  # doctest: +SKIP
>>> e.to_pandas(0).head(10); e.plot(0)  # doctest: +SKIP
"""

from ._native import ModelFileError, __version__
from ._model import GroupLassoTransformer, load
from ._explain import Background, IntegratedGradients, WeightedBackground
from ._explanation import Chart, Explanation
from ._evaluate import evaluate
from ._io import read_csv

__all__ = [
    "GroupLassoTransformer",
    "load",
    "IntegratedGradients",
    "Background",
    "WeightedBackground",
    "Explanation",
    "Chart",
    "evaluate",
    "read_csv",
    "ModelFileError",
    "__version__",
]
