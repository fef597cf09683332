"""Every bad input raises the matching exception with a clear one-line message."""

import numpy as np
import pandas as pd
import pytest

import glassbox
from conftest import SMALL, toy_table

FIXED = dict(method="gausslegendre", n_steps=50)


def test_missing_model_file():
    with pytest.raises(FileNotFoundError, match="nope.glt"):
        glassbox.load("nope.glt")


def test_corrupted_model_file(tmp_path, demo_model_path):
    raw = bytearray(demo_model_path.read_bytes())
    bad = tmp_path / "bad.glt"
    bad.write_bytes(bytes(raw[: len(raw) // 2]))
    with pytest.raises(glassbox.ModelFileError, match="bad.glt"):
        glassbox.load(str(bad))
    (tmp_path / "text.glt").write_text("hello")
    with pytest.raises(glassbox.ModelFileError, match="not a glassbox model"):
        glassbox.load(str(tmp_path / "text.glt"))
    assert issubclass(glassbox.ModelFileError, ValueError)


def test_any_flipped_byte_is_refused(tmp_path, demo_model_path):
    raw = demo_model_path.read_bytes()
    rng = np.random.default_rng(14)
    for at in rng.integers(8, len(raw), size=20):
        flipped = bytearray(raw)
        flipped[at] ^= 0x5A
        bad = tmp_path / f"flip{at}.glt"
        bad.write_bytes(bytes(flipped))
        with pytest.raises(glassbox.ModelFileError, match=f"flip{at}.glt.*checksum"):
            glassbox.load(str(bad))


def test_a_value_beyond_f32_names_row_and_column(demo_model, demo_df):
    bad = demo_df.copy()
    bad.loc[3, "Wagon_Speed"] = 1e39
    with pytest.raises(ValueError, match=r'row 3, column "Wagon_Speed".*f32'):
        demo_model.predict_proba(bad)
    with pytest.raises(ValueError, match=r'row 3, column "Wagon_Speed".*f32'):
        glassbox.IntegratedGradients(demo_model, **FIXED).attribute(bad)


def test_missing_feature_column(demo_model, demo_df):
    with pytest.raises(ValueError, match="Wagon_Twist14m"):
        demo_model.predict_proba(demo_df.drop(columns=["Wagon_Twist14m"]))


def test_wrong_array_width(demo_model):
    with pytest.raises(ValueError, match="columns"):
        demo_model.predict_proba(np.zeros((2, 3)))


def test_text_in_a_feature_column(demo_model, demo_df):
    bad = demo_df.copy()
    bad["Wagon_Speed"] = bad["Wagon_Speed"].astype(object)
    bad.loc[2, "Wagon_Speed"] = "fast"
    with pytest.raises(ValueError, match=r"row 2.*Wagon_Speed|Wagon_Speed.*row 2"):
        demo_model.predict_proba(bad)


def test_infinite_value(demo_model, demo_df):
    bad = demo_df.copy()
    bad.loc[0, "Wagon_Speed"] = np.inf
    with pytest.raises(ValueError, match="Wagon_Speed"):
        glassbox.IntegratedGradients(demo_model, **FIXED).attribute(bad.iloc[:1])


def test_bad_settings(demo_model, demo_df):
    x = demo_df.iloc[:1]
    with pytest.raises(ValueError, match="method"):
        glassbox.IntegratedGradients(demo_model, method="simpson")
    with pytest.raises(ValueError, match="steps"):
        glassbox.IntegratedGradients(demo_model, method="riemann_trapezoid", n_steps=1).attribute(x)
    with pytest.raises(ValueError, match="target"):
        glassbox.IntegratedGradients(demo_model, **FIXED).attribute(x, target="maybe")
    with pytest.raises(ValueError, match="baselines"):
        glassbox.IntegratedGradients(demo_model, **FIXED).attribute(x, baselines="median")
    with pytest.raises(ValueError, match="n_threads"):
        glassbox.IntegratedGradients(demo_model, **FIXED).attribute(x, n_threads=0)
    with pytest.raises(ValueError, match="tolerance"):
        glassbox.IntegratedGradients(demo_model, tolerance=-1.0).attribute(x)
    with pytest.raises(ValueError, match="output"):
        glassbox.IntegratedGradients(demo_model, output="odds", **FIXED).attribute(x)


def test_background_errors(demo_model, demo_df):
    ig = glassbox.IntegratedGradients(demo_model, **FIXED)
    x = demo_df.iloc[:1]
    with pytest.raises(ValueError, match="no row"):
        ig.attribute(x, baselines=glassbox.Background(demo_df, filter={"Tc_target": 7}))
    with pytest.raises(ValueError, match="no column"):
        ig.attribute(x, baselines=glassbox.Background(demo_df, filter={"nope": 0}))
    with pytest.raises(ValueError, match="k"):
        glassbox.Background(demo_df, k=0)
    w = np.full(len(demo_df), -1.0)
    with pytest.raises(ValueError, match="weight"):
        ig.attribute(x, baselines=glassbox.WeightedBackground(demo_df, weights=w))


def test_fit_errors():
    df, y = toy_table(50)
    m = glassbox.GroupLassoTransformer(penalty=0.0, **SMALL)
    with pytest.raises(ValueError, match="rows"):
        m.fit(df, y[:10])
    with pytest.raises(ValueError, match="class"):
        m.fit(df, np.zeros(len(df)))
    with pytest.raises(ValueError, match="d_model|d-model"):
        glassbox.GroupLassoTransformer(d_model=0).fit(df, y)
    with pytest.raises(ValueError, match="penalty|lambda"):
        glassbox.GroupLassoTransformer(penalty="lots").fit(df, y)
    with pytest.raises(ValueError, match="not fitted"):
        glassbox.GroupLassoTransformer().predict_proba(df)
    with pytest.warns(UserWarning, match='"g"'):  # a group whose pattern matches no feature
        m.fit(df, y, groups={"g": ["zzz"]})
    with pytest.raises(ValueError, match="two groups|both"):
        m.fit(df, y, groups={"g": ["a"], "h": ["a"]})


def test_unwritable_output(tmp_path, toy_model):
    model, _, _ = toy_model
    with pytest.raises((FileNotFoundError, ValueError, OSError)):
        model.save(str(tmp_path / "no" / "such" / "dir" / "m.glt"))
