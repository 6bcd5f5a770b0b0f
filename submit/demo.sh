#!/usr/bin/env bash
# demo.sh: the whole product on the embedded tiny checkpoint, on this machine (Spark local[*]).
#   tiny checkpoint -> generate (two runs: base seeds 42 and 7) -> evaluate both -> compare -> report
# Builds on first use (through submit/k5). Re-running resumes: finished videos and scores are skipped.
# Output under $K5_DEMO_OUT (default ./k5-out); the last line printed is the report's path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${K5_DEMO_OUT:-$PWD/k5-out}"
PROMPTS="${K5_DEMO_PROMPTS:-$ROOT/configs/prompts/sample.csv}"
K5="$ROOT/submit/k5"
export K5_JAVA_OPTS="${K5_JAVA_OPTS:--Xmx3g}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

step() { printf '\n== %s\n' "$*" >&2; }

if [[ ! -f "$OUT/weights/model/kandinsky5lite_t2v_tiny.safetensors" ]]; then
  step "tiny checkpoint -> $OUT/weights"
  "$K5" tiny-checkpoint "$OUT/weights"
fi

RUNS=()
for seed in 42 7; do
  run="seed$seed"
  step "generate $run (base seed $seed)"
  "$K5" generate --prompts "$PROMPTS" --out "$OUT" --run-id "$run" --base-seed "$seed" \
      --model "$ROOT/configs/model/tiny.yaml" --weights-root "$OUT/weights" --progress-interval-ms 2000
  step "evaluate $run"
  "$K5" evaluate --run "$OUT/$run"
  RUNS+=(--run "$run=$OUT/$run/eval/metrics.csv")
done

step "compare"
"$K5" compare "${RUNS[@]}" --out "$OUT/compare" --title "k5 demo: tiny checkpoint, seed 42 vs seed 7"
step "report"
"$K5" report "${RUNS[@]}" --sheets-from-videos --out "$OUT/report" --title "k5 demo: tiny checkpoint, seed 42 vs seed 7"

printf '\nMarkdown summary: %s\n' "$OUT/report/summary.md"
printf 'Report: %s\n' "$OUT/report/report.html"
