#!/usr/bin/env bash
# Rebuilds the deliberately saturated GLT of the adaptive benchmark and
# tests: saturated.csv (2 000 rows, features a, b, c, d uniform on [0, 10],
# label = a + b > 10, rows within 0.5 of the boundary left out, so the
# classes are separable with a margin) and saturated.glt, a tiny GLT
# trained long with a large learning rate until |logit| > 10 on most rows
# (class-1 probability 0.00005 → 0.99995 within a few percent of an IG
# path from the zero baseline). Deterministic: the same bytes every run.
#   crates/explainer/benches/saturated.sh [BIN_DIR]   (default target/release)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$HERE/../../../target/release}
python3 - "$HERE/saturated.csv" <<'PY'
import random, sys
random.seed(5)
with open(sys.argv[1], "w") as f:
    f.write("id,a,b,c,d,label\n")
    n = 0
    while n < 2000:
        a, b, c, d = (random.uniform(0, 10) for _ in range(4))
        if abs(a + b - 10) < 0.5:
            continue
        f.write(f"{n},{a:.4f},{b:.4f},{c:.4f},{d:.4f},{int(a + b > 10)}\n")
        n += 1
PY
"$BIN/train" --data "$HERE/saturated.csv" --label label --id id --lambda 0 --d-model 8 --heads 2 --blocks 1 \
  --d-ff 16 --epochs 800 --patience 800 --lr 0.05 --batch-size 128 --seed 1 --quiet --out "$HERE/saturated.glt"
