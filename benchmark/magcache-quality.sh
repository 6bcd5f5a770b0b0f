#!/usr/bin/env bash
# MagCache's speed-up and its cost in quality and fidelity, on the sample prompts and the tiny checkpoint:
# three `k5 generate` runs with the same prompts and seeds at --steps (default 50, the released variants'
# count) — exact, MagCache with the tiny model's own ratios (calibrated at that step count with
# `k5 magcache-calibrate`), and MagCache with the released sft_5s ratios (the skip pattern a real 5 s SFT
# run gets: 48 of 100 calls) — then `k5 evaluate` each, `k5 compare` (metric deltas with bootstrap CIs) and
# `k5 fidelity` (PSNR/SSIM against the exact run). Prints a summary table; everything stays under --out.
#
#   benchmark/magcache-quality.sh [--steps 50] [--out /tmp/k5-magcache] [--prompts configs/prompts/sample.csv]
#                                 [--result benchmark/results/magcache-quality-tiny.json]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEPS=50; OUT=/tmp/k5-magcache; CSV="$ROOT/configs/prompts/sample.csv"
RESULT="$ROOT/benchmark/results/magcache-quality-tiny.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --steps) STEPS="$2"; shift 2;;
    --out) OUT="$2"; shift 2;;
    --prompts) CSV="$2"; shift 2;;
    --result) RESULT="$2"; shift 2;;
    -h|--help) sed -n 2,11p "$0"; exit 0;;
    *) echo "magcache-quality: unknown argument $1" >&2; exit 2;;
  esac
done
K5="$ROOT/submit/k5"
export K5_JAVA_OPTS="${K5_JAVA_OPTS:--Xmx3g}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
step() { printf '\n== %s\n' "$*" >&2; }

[[ -f "$OUT/weights/model/kandinsky5lite_t2v_tiny.safetensors" ]] || "$K5" tiny-checkpoint "$OUT/weights"

step "calibrate the tiny model's ratios at $STEPS steps"
"$K5" magcache-calibrate --model tiny --weights-root "$OUT/weights" --prompts "$CSV" --steps "$STEPS" \
    --out "$OUT/own-ratios.yaml" >/dev/null
grep '^# the reference rule' "$OUT/own-ratios.yaml" >&2
with_ratios() { # $1 = a line "  mag_ratios: [...]", $2 = target yaml
  awk -v line="$1" '/^  mag_ratios:/ { print line; next } { print }' "$ROOT/configs/model/tiny.yaml" > "$2"
}
with_ratios "$(grep '^  mag_ratios:' "$OUT/own-ratios.yaml")" "$OUT/tiny-own.yaml"
with_ratios "$(grep '^  mag_ratios:' "$ROOT/configs/model/sft_5s.yaml")" "$OUT/tiny-sft.yaml"

declare -A MODEL=([exact]="$ROOT/configs/model/tiny.yaml" [magcache-own]="$OUT/tiny-own.yaml"
                  [magcache-sft]="$OUT/tiny-sft.yaml")
RUNS=()
for run in exact magcache-own magcache-sft; do
  extra=(); [[ $run == exact ]] || extra=(--magcache)
  step "generate $run"
  "$K5" generate --prompts "$CSV" --out "$OUT" --run-id "$run" --model "${MODEL[$run]}" --weights-root "$OUT/weights" \
      --steps "$STEPS" --base-seed 42 --partitions 1 --progress-interval-ms 5000 "${extra[@]}"
  step "evaluate $run"
  "$K5" evaluate --run "$OUT/$run"
  RUNS+=(--run "$run=$OUT/$run/eval/metrics.csv")
done

step "compare"
"$K5" compare "${RUNS[@]}" --out "$OUT/compare" --title "MagCache on the tiny model, $STEPS steps"
for run in magcache-own magcache-sft; do
  step "fidelity $run vs exact"
  "$K5" fidelity --reference "$OUT/exact" --candidate "$OUT/$run" --out "$OUT/fidelity-$run.csv" | tee "$OUT/fidelity-$run.txt"
done

step "denoise time per video (manifest denoise_ms); sft_5s ratios at 50 steps skip 52 of 100 calls"
python3 - "$OUT" "$STEPS" "$RESULT" <<'PY'
import csv, datetime, json, os, platform, statistics, sys
out, steps, result = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows_out, base = [], None
print("| run | videos | denoise ms/video (mean) | speed-up | PSNR dB median / min | SSIM mean / min |")
print("|---|---:|---:|---:|---|---|")
for run in ["exact", "magcache-own", "magcache-sft"]:
    rows = [r for r in csv.DictReader(open(f"{out}/{run}/manifest.csv")) if r["status"] == "ok"]
    ms = statistics.mean(float(r["denoise_ms"]) for r in rows)
    base = base or ms
    row = {"run": run, "videos": len(rows), "denoise_ms_per_video": round(ms, 1), "speedup": round(base / ms, 3)}
    fid = f"{out}/fidelity-{run}.csv"
    if os.path.exists(fid):
        f = list(csv.DictReader(open(fid)))
        psnr = sorted(float(r["psnr_db"]) for r in f)
        ssim = [float(r["ssim"]) for r in f]
        row.update(psnr_db_median=round(statistics.median(psnr), 2), psnr_db_min=round(psnr[0], 2),
                   ssim_mean=round(statistics.mean(ssim), 4), ssim_min=round(min(ssim), 4))
        fcol = f"{row['psnr_db_median']} / {row['psnr_db_min']} | {row['ssim_mean']} / {row['ssim_min']}"
    else:
        fcol = "- | -"
    print(f"| {run} | {len(rows)} | {ms:.0f} | {base / ms:.2f}x | {fcol} |")
    rows_out.append(row)
doc = {"benchmark": "magcache-quality", "date_utc": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"),
       "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores", "steps": steps,
       "model": "tiny", "prompts": "configs/prompts/sample.csv", "runs": rows_out,
       "comparison": f"{out}/compare/comparison.json"}
os.makedirs(os.path.dirname(result), exist_ok=True)
json.dump(doc, open(result + ".tmp", "w"), indent=2)
os.replace(result + ".tmp", result)
print(f"\nwrote {result}")
PY
printf '\nComparison: %s\n' "$OUT/compare"
