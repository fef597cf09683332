"""Type stubs of the compiled module (Rust, pyo3). Users call the Python
layer (`glassbox.GroupLassoTransformer`, `glassbox.IntegratedGradients`, …);
these are its building blocks."""

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

Column = Union[npt.NDArray[np.float64], List[Optional[str]]]

class ModelFileError(ValueError):
    """A model file that is not a glassbox model, or is corrupted, truncated or of an unknown version."""

class Model:
    """A trained GLT (the contents of a `.glt` file)."""

    @staticmethod
    def load(path: str) -> "Model": ...
    @staticmethod
    def from_bytes(data: bytes, name: str) -> "Model": ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: str) -> None: ...
    def to_safetensors(self, path: str) -> None: ...
    @property
    def feature_names(self) -> List[str]: ...
    @property
    def labels(self) -> List[str]:
        """One name per attribution column (`f@t-1`, … in sequence mode)."""
    @property
    def class_names(self) -> List[str]: ...
    @property
    def group_names(self) -> List[str]: ...
    @property
    def group_members(self) -> List[List[int]]: ...
    @property
    def id_columns(self) -> List[str]: ...
    @property
    def row_shape(self) -> List[int]: ...
    @property
    def report_json(self) -> str: ...
    def target_class(self, target: str) -> int:
        """A class by name or index (the CLI's `--target`)."""
    def inputs(self, names: Sequence[str], columns: Sequence[Column]) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """The model's input rows `(n, F)` or `(n, T, F)` from a table (imputed), and the missing mask."""
    def rows(self, x: npt.NDArray[np.float64]) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Checks raw rows of the model's row shape (NaN = missing): imputed rows and the missing mask."""
    def predict_proba(self, x: npt.NDArray[np.float64], n_threads: Optional[int]) -> npt.NDArray[np.float64]: ...
    def predicted_class(self, probabilities: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]: ...
    def explain(
        self,
        x: npt.NDArray[np.float64],
        missing: npt.NDArray[np.bool_],
        baseline: Dict[str, Any],
        settings: Dict[str, Any],
        n_threads: Optional[int],
    ) -> Dict[str, Any]: ...
    def evaluate(self, names: Sequence[str], columns: Sequence[Column], settings_json: str, n_threads: Optional[int]) -> str: ...

def fit(
    names: Sequence[str],
    columns: Sequence[Column],
    labels: Sequence[str],
    label_name: str,
    settings: Dict[str, Any],
    groups: Union[None, str, Dict[str, List[str]]],
    split_by: Optional[Sequence[str]],
    n_threads: Optional[int],
) -> Model: ...
def read_table(path: str, na_values: Optional[Sequence[str]]) -> Tuple[List[str], List[Column]]: ...
def global_importance(values: npt.NDArray[np.float64], predicted: npt.NDArray[np.int64], n_classes: int) -> Dict[str, Any]: ...
def row_chart(
    labels: Sequence[str], values: Sequence[float], attributions: Sequence[float], title: str, top: int, path: Optional[str]
) -> bytes: ...
