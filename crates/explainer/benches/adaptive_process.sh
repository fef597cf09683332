#!/usr/bin/env bash
# The whole process through the `explain` binary, on the shipped demo
# (models/railway-demo.glt, its 12 rows) and the saturated GLT of this
# folder (saturated.glt, 2 000 rows), zero baseline, class-1 probability:
#   adaptive   the default (f64, |δ| ≤ max(1e-3·|ΔF|, 1e-6), cap 2 000 per path)
#   doubling   --method gausslegendre --tolerance 1e-3 (n doubles from 50, cap 1 600)
#   fixed n    --method gausslegendre --steps n, the smallest n = 50·2^j that
#              meets the criterion on every row (what a Captum user must pick)
# each on all rows and on the worst row (the most adaptive evaluations).
# Prints a markdown table: gradient evaluations per row (mean, max), rows
# within the criterion, wall time.
#   crates/explainer/benches/adaptive_process.sh [BIN_DIR]   (default target/release)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
BIN=$(cd "${1:-$REPO/target/release}" && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

stats() { # JSON → "mean max within rows worst_row"
  python3 - "$1" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
ev = [r["evaluations"] for r in rows]
ok = sum(abs(r["delta"]) <= max(1e-3 * abs(r["output"] - r["baseline_output"]), 1e-6) for r in rows)
worst = max(rows, key=lambda r: r["evaluations"])["index"]
print(f"{sum(ev) / len(ev):.1f} {max(ev)} {ok} {len(rows)} {worst}")
PY
}

run() { # LABEL ARGS... → writes $W/LABEL.json, prints the wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$BIN/explain" --quiet "${@:2}" --out "$W/$1.json" > /dev/null 2> "$W/$1.err"
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

echo "| model | rows | integration | evaluations/row mean | max | rows within τ | wall time (s) |"
echo "|---|---|---|---|---|---|---|"
for model in demo saturated; do
  if [ $model = demo ]; then
    data=(--model "$REPO/models/railway-demo.glt" --data "$REPO/models/railway-demo.csv")
  else
    data=(--model "$HERE/saturated.glt" --data "$HERE/saturated.csv")
  fi
  # The smallest fixed n meeting τ on every row.
  n=50
  while :; do
    run "$model-fixed" "${data[@]}" --all --method gausslegendre --steps $n > /dev/null
    read -r _ _ ok rows _ < <(stats "$W/$model-fixed.json")
    if [ "$ok" = "$rows" ] || [ $n -ge 6400 ]; then break; fi
    n=$((n * 2))
  done
  run "$model-adaptive" "${data[@]}" --all > /dev/null
  read -r _ _ _ _ worst < <(stats "$W/$model-adaptive.json")
  for scope in all "row $worst"; do
    rows_flag=(--all)
    [ "$scope" = all ] || rows_flag=(--rows "$worst")
    for what in adaptive doubling "fixed $n"; do
      case $what in
        adaptive) flags=() ;;
        doubling) flags=(--method gausslegendre --tolerance 1e-3) ;;
        *) flags=(--method gausslegendre --steps $n) ;;
      esac
      t=$(run x "${data[@]}" "${rows_flag[@]}" "${flags[@]}")
      read -r mean max ok rows _ < <(stats "$W/x.json")
      echo "| $model | $scope | $what | $mean | $max | $ok/$rows | $t |"
    done
  done
done
