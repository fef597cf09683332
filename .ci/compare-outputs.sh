#!/usr/bin/env bash
# Byte-identity check for refactors: runs the tools of BIN_DIR on fixed
# inputs and writes every output into OUT_DIR. Run once with the old
# binaries, once with the new ones, then compare:
#   .ci/compare-outputs.sh /tmp/before/bin /tmp/before/out
#   .ci/compare-outputs.sh target/release  /tmp/after/out
#   diff -r /tmp/before/out /tmp/after/out && echo identical
# Timings ("seconds" in evaluation.json, the "Time:" line) are removed;
# paths are the same in both runs (work files in /tmp/glassbox-compare).
# Safetensors files are compared by tensor bytes and parsed header: the
# order of the header's metadata keys differs from run to run (a HashMap).
set -euo pipefail
BIN=$(cd "$1" && pwd)
OUT=$2
REPO=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W=/tmp/glassbox-compare
rm -rf "$W" && mkdir -p "$W"
cd "$REPO"
ex() { "$BIN/explain" "$@"; }
# The fixed rule, explicit: the default integration became adaptive (issue
# 10); these flags give the same bits before and after that change.
gl=(--method gausslegendre --steps 50)
small=(--d-model 8 --heads 2 --blocks 1 --d-ff 16 --batch-size 128 --lr 0.003 --seed 1 --quiet)

# Demo model: the README's first command, JSON/CSV, charts.
ex --quiet "${gl[@]}" > "$OUT/demo.txt"
ex --quiet "${gl[@]}" --groups --global --baseline background --baselines 5 --rows 0-9 --out "$OUT/demo.json" > "$OUT/demo-bg.txt"
ex --quiet "${gl[@]}" --groups --global --baseline background --baselines 5 --rows 0-9 --out "$OUT/demo.csv" > /dev/null
ex --quiet --baseline mean --method gausslegendre --tolerance 1e-3 --rows 0-3 --out "$OUT/demo-tol.json" > "$OUT/demo-tol.txt"
ex --quiet "${gl[@]}" --rows 0-2 --groups --global --plot "$OUT/chart.png" > /dev/null
ex --quiet "${gl[@]}" --rows 4 --groups --plot "$OUT/one.svg" > /dev/null
ex --quiet "${gl[@]}" --rows 0-1 --precision f64 --verify-gradients --target 0 --output logit > "$OUT/demo-f64.txt"

# Collider demo: weighted baseline.
"$BIN/synth" collider --rows 10000 --seed 11 --out "$W/collider.csv" --truth "$W/collider-truth.json" --quiet
cp "$W/collider-truth.json" "$OUT/collider-truth.json"
for ext in json csv; do
  ex --model models/collider-demo.glt --data "$W/collider.csv" --weight-column weight --baseline weighted \
     --quiet "${gl[@]}" --groups --global --rows 0-9 --out "$OUT/collider.$ext" > "$OUT/collider-$ext.txt"
done
ex --model models/collider-demo.glt --data "$W/collider.csv" --baseline background --background-filter process=ttbar \
   --quiet "${gl[@]}" --rows 0-4 --global --out "$OUT/collider-filter.json" > "$OUT/collider-filter.txt" || echo "exit $?" > "$OUT/collider-filter.txt"

# explain evaluate without retraining on the collider demo.
ex evaluate --model models/collider-demo.glt --data "$W/collider.csv" --weight-column weight \
   --truth "$W/collider-truth.json" --no-retrain --quiet "${gl[@]}" --out-dir "$W/ev" | grep -v '^Time:' > "$OUT/evaluate.txt"

# Train on a small table, inspect it, evaluate with retraining.
"$BIN/synth" collider --rows 1500 --seed 2 --out "$W/small.csv" --truth "$W/small-truth.json" --quiet
"$BIN/train" --data "$W/small.csv" --label label --exclude process,weight --lambda 0 --epochs 8 "${small[@]}" \
   --out "$W/small.glt" --report "$OUT/small-report.json" > "$OUT/train-small.txt"
cp "$W/small.glt" "$OUT/small.glt"
"$BIN/inspect" "$W/small.glt" > "$OUT/inspect-small.txt"
"$BIN/inspect" "$W/small.glt" --json > "$OUT/inspect-small.json"
"$BIN/inspect" models/railway-demo.glt > "$OUT/inspect-demo.txt"
"$BIN/inspect" models/railway-demo.glt --json > "$OUT/inspect-demo.json"
"$BIN/inspect" models/railway-demo.glt --safetensors "$OUT/demo.safetensors" > "$OUT/inspect-st.txt"
ex evaluate --model "$W/small.glt" --data "$W/small.csv" --weight-column weight --truth "$W/small-truth.json" \
   --k-max 3 --explain-rows 50 --baselines 3 --quiet "${gl[@]}" --out-dir "$W/ev2" --format svg | grep -v '^Time:' > "$OUT/evaluate-retrain.txt"
for d in ev ev2; do
  for f in "$W/$d"/*; do
    case "$f" in
      *.json) python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("seconds"); print(json.dumps(d, indent=1, sort_keys=True))' "$f" > "$OUT/$d-$(basename "$f")" ;;
      *) cp "$f" "$OUT/$d-$(basename "$f")" ;;
    esac
  done
done

# A sequence model: train (λ path auto, small), explain windows.
"$BIN/synth" railway --rows 1200 --seed 4 --out "$W/seq.csv" --quiet
"$BIN/train" --data "$W/seq.csv" --label Tc_target --id Tc_BaseCode,Tc_date --sequence-by Tc_SectionBreakStartKM \
   --order-by Tc_date --window 3 --groups models/railway-groups.toml --lambda 0 --epochs 3 "${small[@]}" \
   --out "$W/seq.glt" --report "$OUT/seq-report.json" > "$OUT/train-seq.txt"
cp "$W/seq.glt" "$OUT/seq.glt"
"$BIN/inspect" "$W/seq.glt" --safetensors "$OUT/seq.safetensors" > "$OUT/inspect-seq.txt"
ex --model "$W/seq.glt" --data "$W/seq.csv" --rows 5,10,200-203 --groups --global --quiet "${gl[@]}" --out "$OUT/seq.json" > "$OUT/seq.txt"
ex --model "$W/seq.glt" --data "$W/seq.csv" --rows 5,10 --quiet "${gl[@]}" --out "$OUT/seq.csv" --plot "$OUT/seq.png" > /dev/null

# λ auto on the railway table with a tiny model.
"$BIN/synth" railway --rows 1500 --seed 3 --out "$W/rail.csv" --quiet
"$BIN/train" --data "$W/rail.csv" --label Tc_target --id Tc_BaseCode,Tc_SectionBreakStartKM,Tc_date \
   --split-by Tc_SectionBreakStartKM --groups models/railway-groups.toml --lambda auto --epochs 4 "${small[@]}" \
   --out "$W/rail.glt" --report "$OUT/rail-report.json" > "$OUT/train-rail.txt"
cp "$W/rail.glt" "$OUT/rail.glt"
for f in "$OUT"/*.safetensors; do
  python3 - "$f" <<'PY'
import json, struct, sys, hashlib
b = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", b[:8])[0]
header = json.loads(b[8:8 + n])
open(sys.argv[1] + ".normalized", "w").write(json.dumps(header, sort_keys=True) + "\n" + hashlib.sha256(b[8 + n:]).hexdigest() + "\n")
PY
  rm "$f"
done
rm -rf "$W"
ls "$OUT" | wc -l
