#!/usr/bin/env python3
"""Training benchmark (issue 15): end-to-end time of `train --lambda auto`
with defaults, and held-out ROC-AUC against logistic regression and
gradient boosting on the same splits.

Tables (nothing downloaded: two come from `synth`, one ships inside
scikit-learn):
  railway   synth railway --rows 10000 --seed 7, sensor-family groups,
            rows of one section kept together (the README's run);
  collider  synth collider --rows 6000 --seed 11 (20 features; process and
            weight are left out);
  cancer    scikit-learn's breast-cancer table (569 rows, 30 features).

Part 1 (`--time`): wall time of the `train` binaries given (e.g. a build of
the previous commit and this one), defaults plus the table's own flags, one
run each, in the same session. Part 2 (`--peers SEEDS`): for each seed an
outer 85/15 split (grouped by section for railway); glassbox (Python API,
defaults) fits on the 85 % (its own 70/15/15 split inside), logistic
regression (standardised, C = 1) and gradient boosting
(HistGradientBoostingClassifier, defaults) fit on the same 85 %; all are
scored on the same 15 %. Prints mean ± standard error over seeds and the
features glassbox dropped, and writes everything as JSON.

Usage:
  scripts/bench-train.py --time before=/tmp/before/target/release/train \\
      --time after=target/release/train --peers 0,1,2 --out bench-train.json
Run it on a quiet machine: other work on the cores moves the times.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYNTH = os.path.join(ROOT, "target", "release", "synth")


def tables(work):
    """name → (csv path, label, extra train flags, frame, feature columns, split key column)."""
    out = {}
    rail = os.path.join(work, "railway.csv")
    subprocess.run([SYNTH, "railway", "--rows", "10000", "--seed", "7", "--out", rail, "--quiet"], check=True)
    ids = ["Tc_BaseCode", "Tc_SectionBreakStartKM", "Tc_date"]
    df = pd.read_csv(rail)
    out["railway"] = (
        rail,
        "Tc_target",
        ["--id", ",".join(ids), "--split-by", "Tc_SectionBreakStartKM", "--groups",
         os.path.join(ROOT, "models", "railway-groups.toml")],
        df,
        [c for c in df.columns if c not in ids + ["Tc_target"]],
        "Tc_SectionBreakStartKM",
    )
    col = os.path.join(work, "collider.csv")
    subprocess.run([SYNTH, "collider", "--rows", "6000", "--seed", "11", "--out", col, "--quiet"], check=True)
    df = pd.read_csv(col)
    out["collider"] = (col, "label", ["--exclude", "process,weight"], df,
                       [c for c in df.columns if c not in ("process", "weight", "label")], None)
    from sklearn.datasets import load_breast_cancer

    bc = load_breast_cancer(as_frame=True)
    df = bc.frame.rename(columns=lambda c: c.replace(" ", "_"))
    cancer = os.path.join(work, "cancer.csv")
    df.to_csv(cancer, index=False)
    out["cancer"] = (cancer, "target", [], df, [c for c in df.columns if c != "target"], None)
    return out


def time_train(binary, csv, label, flags, work, name, tag):
    model = os.path.join(work, f"{name}-{tag}.glt")
    report = os.path.join(work, f"{name}-{tag}.json")
    cmd = [binary, "--data", csv, "--label", label, "--lambda", "auto", "--quiet", "--out", model, "--report", report] + flags
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t
    r = json.load(open(report))
    m = r["metrics"]
    return {
        "seconds": seconds,
        "held_out_roc_auc": m.get("roc_auc"),
        "dropped": r["dropped_features"],
        "kept": len(r["selected_features"]),
        "epochs_run": r.get("epochs_run"),
        "path_points": len(r.get("path", [])),
        "refit": r.get("refit") and {"kept": r["refit"]["kept"], "epochs": r["refit"]["epochs"]},
        "command": " ".join(cmd),
    }


def mean_se(values):
    v = np.asarray(values, dtype=float)
    se = v.std(ddof=1) / math.sqrt(len(v)) if len(v) > 1 else float("nan")
    return float(v.mean()), float(se)


def peers(name, table, seeds):
    import glassbox
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupShuffleSplit, StratifiedShuffleSplit
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.impute import SimpleImputer

    _, label, _, df, features, key = table
    X, y = df[features], df[label].to_numpy()
    scores = {"glassbox": [], "logistic": [], "boosting": []}
    dropped, seconds = [], []
    for seed in seeds:
        if key is None:
            split = StratifiedShuffleSplit(n_splits=1, test_size=0.15, random_state=seed)
            tr, te = next(split.split(X, y))
        else:
            split = GroupShuffleSplit(n_splits=1, test_size=0.15, random_state=seed)
            tr, te = next(split.split(X, y, groups=df[key]))
        t = time.perf_counter()
        groups = os.path.join(ROOT, "models", "railway-groups.toml") if name == "railway" else None
        gb = glassbox.GroupLassoTransformer(seed=seed).fit(
            X.iloc[tr], y[tr], groups=groups, split_by=None if key is None else df[key].iloc[tr].to_numpy()
        )
        seconds.append(time.perf_counter() - t)
        scores["glassbox"].append(roc_auc_score(y[te], gb.predict_proba(X.iloc[te])[:, 1]))
        dropped.append(list(gb.dropped_features_))
        lr = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=5000))
        lr.fit(X.iloc[tr], y[tr])
        scores["logistic"].append(roc_auc_score(y[te], lr.predict_proba(X.iloc[te])[:, 1]))
        hgb = HistGradientBoostingClassifier(random_state=seed).fit(X.iloc[tr], y[tr])
        scores["boosting"].append(roc_auc_score(y[te], hgb.predict_proba(X.iloc[te])[:, 1]))
        print(f"  {name} seed {seed}: " + "  ".join(f"{k} {v[-1]:.4f}" for k, v in scores.items())
              + f"  (glassbox {seconds[-1]:.0f} s)", flush=True)
    summary = {k: mean_se(v) for k, v in scores.items()}
    return {"seeds": seeds, "scores": scores, "summary": summary, "dropped": dropped, "glassbox_seconds": seconds}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--time", action="append", default=[], metavar="TAG=BINARY", help="a train binary to time")
    p.add_argument("--peers", default="", help="comma-separated seeds for the peer comparison")
    p.add_argument("--tables", default="railway,collider,cancer")
    p.add_argument("--out", default="bench-train.json")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="bench-train-")
    all_tables = tables(work)
    result = {"cores": os.cpu_count(), "time": {}, "peers": {}}
    for name in a.tables.split(","):
        table = all_tables[name]
        for spec in a.time:
            tag, binary = spec.split("=", 1)
            r = time_train(binary, table[0], table[1], table[2], work, name, tag)
            result["time"].setdefault(name, {})[tag] = r
            print(f"{name} {tag}: {r['seconds']:.1f} s, held-out ROC-AUC {r['held_out_roc_auc']:.4f}, "
                  f"{r['kept']} kept, dropped {r['dropped']}", flush=True)
        if a.peers:
            result["peers"][name] = peers(name, table, [int(s) for s in a.peers.split(",")])
            s = result["peers"][name]["summary"]
            print(f"{name}: " + "  ".join(f"{k} {m:.4f} ± {e:.4f}" for k, (m, e) in s.items()), flush=True)
        json.dump(result, open(a.out, "w"), indent=2)
    print(f"written to {a.out}")


if __name__ == "__main__":
    sys.exit(main())
