"""Rows per second of glassbox.spark.explain at local[1] and local[2],
next to the single-process rate (glassbox.IntegratedGradients with 1 and 2
threads), on the same rows — the table of docs/spark.md.

Run from the repository root, on a quiet machine (other work on the cores
distorts the 1 → 2 core scaling):

    cargo build --release --bins
    target/release/synth railway --rows 100000 --seed 7 --out /tmp/railway-100k.csv --quiet
    python crates/python/benches/spark_rows.py --data /tmp/railway-100k.csv --model models/railway-demo.glt

Each Spark run is a fresh process (one SparkContext per JVM); the result is
forced with the `noop` writer, so the time is the explanation's, not a
collect's. The adaptive default and the fixed Gauss–Legendre 50 rule are
timed; each Spark result is checked bit for bit against the single-process
one on a sample of rows.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

import glassbox


def single_process(model, df, threads, settings):
    ig = glassbox.IntegratedGradients(model, **settings)
    start = time.perf_counter()
    e = ig.attribute(df, n_threads=threads)
    return time.perf_counter() - start, e


SPARK_RUN = r"""
import json, os, sys, time
import numpy as np
os.environ["PYSPARK_PYTHON"] = sys.executable
from pyspark.sql import SparkSession
import glassbox
from glassbox import spark as gs
master, data, model_path, settings, partitions = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5])
spark = (SparkSession.builder.master(master).config("spark.ui.enabled", "false")
         .config("spark.driver.memory", "4g").config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.driver.host", "127.0.0.1").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
pdf = glassbox.read_csv(data)
pdf.insert(0, "row", np.arange(len(pdf)))
sdf = spark.createDataFrame(pdf).repartition(partitions).cache()
sdf.count()
model = glassbox.load(model_path)
start = time.perf_counter()
gs.explain(sdf, model, id_cols=["row"], **settings).write.format("noop").mode("overwrite").save()
seconds = time.perf_counter() - start
sample = gs.explain(sdf.filter("row % 997 = 0"), model, id_cols=["row"], **settings).toPandas().sort_values("row")
print(json.dumps({"seconds": seconds, "rows": sample["row"].tolist(),
                  "ig": sample[[c for c in sample.columns if c.startswith("ig_")]].to_numpy().tolist()}))
spark.stop()
"""


def spark_run(master, data, model_path, settings, partitions):
    out = subprocess.run(
        [sys.executable, "-c", SPARK_RUN, master, data, model_path, json.dumps(settings), str(partitions)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--model", default="models/railway-demo.glt")
    p.add_argument("--partitions", type=int, default=8)
    a = p.parse_args()
    model = glassbox.load(a.model)
    df = glassbox.read_csv(a.data)
    n = len(df)
    print(f"{n} rows, model {a.model}; load {os.getloadavg()[0]:.2f}")
    print("| integration | single process, 1 thread | single process, 2 threads | Spark local[1] | Spark local[2] | local[2] / local[1] | bitwise |")
    print("|---|---|---|---|---|---|---|")
    for name, settings in [("adaptive (default)", {}), ("gausslegendre 50", {"method": "gausslegendre", "n_steps": 50})]:
        t1, e = single_process(model, df, 1, settings)
        t2, _ = single_process(model, df, 2, settings)
        s1 = spark_run("local[1]", a.data, a.model, settings, a.partitions)
        s2 = spark_run("local[2]", a.data, a.model, settings, a.partitions)
        same = all(np.array_equal(np.asarray(s["ig"]), e.values[s["rows"]]) for s in (s1, s2))
        rate = lambda t: f"{n / t:,.0f} rows/s"
        print(f"| {name} | {rate(t1)} | {rate(t2)} | {rate(s1['seconds'])} | {rate(s2['seconds'])} | "
              f"{s1['seconds'] / s2['seconds']:.2f}× | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
