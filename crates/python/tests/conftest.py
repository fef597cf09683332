"""Shared fixtures: the repository's shipped demo model and rows, the CLI
binaries built by `cargo build --release` (GLASSBOX_BIN_DIR overrides), and
small synthetic tables."""

import os
import pathlib
import subprocess

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
MODELS = ROOT / "models"


def bin_path(name: str) -> pathlib.Path:
    d = pathlib.Path(os.environ.get("GLASSBOX_BIN_DIR", ROOT / "target" / "release"))
    p = d / name
    if not p.exists():
        pytest.skip(f"{p} not built (run cargo build --release first)")
    return p


def run_cli(name, *args, cwd=None):
    out = subprocess.run([str(bin_path(name)), *map(str, args)], capture_output=True, text=True, cwd=cwd)
    assert out.returncode == 0, f"{name} {args} failed: {out.stderr}"
    return out.stdout


@pytest.fixture(scope="session")
def demo_model_path():
    return MODELS / "railway-demo.glt"


@pytest.fixture(scope="session")
def demo_csv_path():
    return MODELS / "railway-demo.csv"


@pytest.fixture(scope="session")
def demo_df(demo_csv_path):
    import glassbox

    return glassbox.read_csv(str(demo_csv_path))


@pytest.fixture(scope="session")
def demo_model(demo_model_path):
    import glassbox

    return glassbox.load(str(demo_model_path))


def toy_table(n=400, seed=0):
    """Two informative features, one noise feature, a text column."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    y = ((x[:, 0] + 0.5 * x[:, 1]) > 0).astype(int)
    df = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "noise": x[:, 2]})
    return df, y


SMALL = dict(d_model=8, n_heads=2, n_blocks=1, d_ff=16, epochs=40, patience=10, path_points=2, path_epochs=3, learning_rate=1e-2)


@pytest.fixture(scope="session")
def toy_model():
    import glassbox

    df, y = toy_table()
    return glassbox.GroupLassoTransformer(penalty=0.0, **SMALL).fit(df, y), df, y
