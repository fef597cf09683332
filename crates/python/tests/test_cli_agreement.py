"""Python gives the CLI's numbers bit for bit."""

import json

import numpy as np

import glassbox
from conftest import run_cli


def cli_json(tmp_path, *args):
    out = tmp_path / "a.json"
    run_cli("explain", "--quiet", *args, "--out", out)
    return json.loads(out.read_text())


def test_zero_baseline_fixed_rule_matches_cli(tmp_path, demo_model_path, demo_csv_path, demo_model, demo_df):
    j = cli_json(tmp_path, "--model", demo_model_path, "--data", demo_csv_path, "--rows", "0-7", "--method", "gausslegendre", "--steps", "50")
    e = glassbox.IntegratedGradients(demo_model, method="gausslegendre", n_steps=50).attribute(demo_df.iloc[:8])
    for i, row in enumerate(j["rows"]):
        assert np.array_equal(np.asarray(row["attributions"]), e.values[i])
        assert np.array_equal(np.asarray(row["probabilities"]), e.probabilities[i])
        assert row["delta"] == e.delta[i]
        assert row["predicted_class"] == int(e.predicted[i])


def test_default_adaptive_matches_cli(tmp_path, demo_model_path, demo_csv_path, demo_model, demo_df):
    j = cli_json(tmp_path, "--model", demo_model_path, "--data", demo_csv_path, "--rows", "0-3")
    e = glassbox.IntegratedGradients(demo_model).attribute(demo_df.iloc[:4])
    for i, row in enumerate(j["rows"]):
        assert np.array_equal(np.asarray(row["attributions"]), e.values[i])
        assert row["evaluations"] == int(e.evaluations[i])


def test_background_baseline_matches_cli(tmp_path, demo_model_path, demo_csv_path, demo_model, demo_df):
    j = cli_json(
        tmp_path, "--model", demo_model_path, "--data", demo_csv_path, "--rows", "0-3", "--baseline", "background",
        "--baselines", "5", "--seed", "3", "--method", "gausslegendre", "--steps", "50",
    )
    label = demo_model.report_["config"]["label"]
    bg = glassbox.Background(demo_df, filter={label: demo_model.classes_[0]}, k=5, seed=3)
    e = glassbox.IntegratedGradients(demo_model, method="gausslegendre", n_steps=50).attribute(demo_df.iloc[:4], baselines=bg)
    for i, row in enumerate(j["rows"]):
        assert np.array_equal(np.asarray(row["attributions"]), e.values[i])
        assert row["baseline_output"] == e.base_values[i]


def test_fit_matches_train(tmp_path):
    import pandas as pd

    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 4)).round(4)
    y = (x[:, 0] - x[:, 2] > 0).astype(int)
    df = pd.DataFrame(x, columns=["f0", "f1", "f2", "f3"]).assign(label=y)
    csv = tmp_path / "t.csv"
    df.to_csv(csv, index=False)
    flags = ["--d-model", "8", "--heads", "2", "--blocks", "1", "--d-ff", "16", "--epochs", "6", "--patience", "3", "--lambda", "0", "--seed", "4"]
    run_cli("train", "--quiet", "--data", csv, "--label", "label", *flags, "--out", tmp_path / "cli.glt")
    table = glassbox.read_csv(str(csv))
    m = glassbox.GroupLassoTransformer(penalty=0.0, d_model=8, n_heads=2, n_blocks=1, d_ff=16, epochs=6, patience=3, seed=4)
    m.fit(table.drop(columns=["label"]), table["label"])
    assert m.to_bytes() == (tmp_path / "cli.glt").read_bytes()


def test_sequence_model_matches_cli(tmp_path):
    """A sequence model (windows of the last 3 records of a section): values
    are rows × T × F, and equal the CLI's numbers bit for bit."""
    run_cli("synth", "railway", "--rows", "600", "--seed", "4", "--out", tmp_path / "seq.csv", "--quiet")
    run_cli(
        "train", "--data", tmp_path / "seq.csv", "--label", "Tc_target", "--id", "Tc_BaseCode,Tc_date",
        "--sequence-by", "Tc_SectionBreakStartKM", "--order-by", "Tc_date", "--window", "3", "--lambda", "0",
        "--d-model", "8", "--heads", "2", "--blocks", "1", "--d-ff", "16", "--epochs", "3", "--out", tmp_path / "seq.glt", "--quiet",
    )
    j = cli_json(tmp_path, "--model", tmp_path / "seq.glt", "--data", tmp_path / "seq.csv", "--rows", "0-5",
                 "--method", "gausslegendre", "--steps", "50")
    model = glassbox.load(str(tmp_path / "seq.glt"))
    df = glassbox.read_csv(str(tmp_path / "seq.csv"))
    e = glassbox.IntegratedGradients(model, method="gausslegendre", n_steps=50).attribute(df)
    f = len(model.feature_names_in_)
    assert e.values.shape == (len(df), 3, f)
    assert e.feature_names[-1].endswith("@t") and e.feature_names[0].endswith("@t-2")
    for i, row in enumerate(j["rows"]):
        assert np.array_equal(np.asarray(row["attributions"]), e.values[i])
    assert e.to_pandas(0)["Feature Name"].str.contains("@t").all()
