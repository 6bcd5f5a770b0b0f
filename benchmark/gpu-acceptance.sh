#!/usr/bin/env bash
# gpu-acceptance.sh: one-command acceptance of the CUDA build on a GPU host with a JDK 17 and Maven.
#   --check only: driver (nvidia-smi), `k5 doctor --require-gpu` (libtorch build, CUDA libraries loaded, versions),
#   one SDPA call on the device (`k5 parity --device gpu` of the golden dense_small DiT case).
#   full (default): builds -P$PROFILES (in a copy, as gpu-build-check.sh), the check, every golden case with
#   --device gpu, the tiny generate on the GPU, optionally benchmark/run.sh --device gpu with --weights, and appends
#   a row (nvidia-smi, peak device memory, per-stage times) to benchmark/RESULTS.md. Exit 0 only if all pass;
#   2 when the host has no GPU (nothing else is run); 1 on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/target/gpu-build"
GOLDEN="$ROOT/../shared/golden"
PROFILES="${K5_GPU_PROFILES:-gpu}"
CHECK_ONLY=0; WEIGHTS=""; BUILD_IT=1
usage() {
  cat <<USAGE
usage: benchmark/gpu-acceptance.sh [--check] [--weights DIR] [--build-dir DIR] [--golden DIR] [--no-build] [--help]
  --check        only verify the node: driver, libraries, one SDPA call on the GPU
  --weights DIR  also run benchmark/run.sh --device gpu on the real checkpoint under DIR (K5_REAL_CONFIG, default sft_5s)
  Profiles: K5_GPU_PROFILES (default "gpu"; "gpu,gpu-redist" when the node has only a driver, docs/gpu.md).
  MVN_FLAGS (default "-B") goes to mvn. Exit: 0 all pass, 1 a failure, 2 no GPU on this host / bad option.
USAGE
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) CHECK_ONLY=1; shift ;;
    --weights) WEIGHTS="$2"; shift 2 ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    --golden) GOLDEN="$2"; shift 2 ;;
    --no-build) BUILD_IT=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "gpu-acceptance: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
SMI="${NVIDIA_SMI:-nvidia-smi}"
if ! command -v "$SMI" >/dev/null 2>&1 || ! "$SMI" -L >/dev/null 2>&1; then
  echo "gpu-acceptance: no GPU on this host (nvidia-smi missing or sees no device); run benchmark/gpu-build-check.sh here instead" >&2
  exit 2
fi
[[ -d "$GOLDEN" ]] || { echo "gpu-acceptance: golden root $GOLDEN not found (--golden DIR)" >&2; exit 2; }
fails=0
if [[ $BUILD_IT == 1 ]]; then
  mkdir -p "$BUILD"
  (cd "$ROOT" && git ls-files -z -co --exclude-standard | grep -zv '^target/' | xargs -0 cp --parents -t "$BUILD")
  (cd "$BUILD" && mvn ${MVN_FLAGS:--B} -q -P"$PROFILES" -DskipTests -Dk5.shade.skip=true -pl jobs -am package)
fi
K5="$BUILD/submit/k5"
GPU_NAME=$("$SMI" --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
echo "== node: $GPU_NAME"
"$K5" doctor --require-gpu || { echo "FAIL k5 doctor"; exit 1; }
first="$(dirname "$(find "$GOLDEN" -path '*/dit/*' -name case.json | sort | head -1)")"
if "$K5" parity --device gpu "$first"; then echo "ok SDPA on the GPU ($first)"; else echo "FAIL SDPA on the GPU"; exit 1; fi
[[ $CHECK_ONLY == 1 ]] && { echo "CHECK PASS"; exit 0; }

peak_file=$(mktemp); ( while sleep 1; do "$SMI" --query-gpu=memory.used --format=csv,noheader,nounits | head -1; done > "$peak_file" ) &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
pass=0; total=0; t_golden=$(date +%s)
while IFS= read -r c; do
  total=$((total + 1))
  if out=$("$K5" parity --device gpu "$(dirname "$c")" 2>&1); then pass=$((pass + 1)); echo "PASS ${c#"$GOLDEN"/}"; else
    fails=$((fails + 1)); echo "FAIL ${c#"$GOLDEN"/}"; printf '%s\n' "$out" | tail -5 | sed 's/^/    /'; fi
done < <(find "$GOLDEN" -name case.json -not -path '*/tools/*' | sort)
t_golden=$(( $(date +%s) - t_golden ))
OUT="$BUILD/acceptance-out"; rm -rf "$OUT"; mkdir -p "$OUT"
head -3 "$ROOT/configs/prompts/sample.csv" > "$OUT/prompts.csv"
t_gen=$(date +%s)
# generate computes on the GPU Spark assigns; local[*] with a discovery script gives task 0 gpu 0
if "$K5" tiny-checkpoint "$OUT/weights" > "$OUT/tiny.log" 2>&1 && "$K5" generate --prompts "$OUT/prompts.csv" --out "$OUT" \
    --run-id accept --model "$ROOT/configs/model/tiny.yaml" --weights-root "$OUT/weights" > "$OUT/generate.log" 2>&1; then
  echo "ok $(grep '^k5 generate' "$OUT/generate.log")"
else
  echo "FAIL tiny generate"; tail -5 "$OUT/generate.log"; fails=$((fails + 1))
fi
t_gen=$(( $(date +%s) - t_gen ))
real="-"
if [[ -n "$WEIGHTS" ]]; then
  if K5_MVN_PROFILES="$PROFILES" "$ROOT/benchmark/run.sh" --config "${K5_REAL_CONFIG:-$ROOT/configs/model/sft_5s.yaml}" --device gpu \
      --weights "$WEIGHTS" > "$OUT/real.log" 2>&1; then real="ok"; else real="FAIL"; fails=$((fails + 1)); fi
fi
kill $sampler 2>/dev/null || true
peak=$(sort -n "$peak_file" | tail -1)
row="| $(date -u +%F) | $(hostname) | $GPU_NAME | -P$PROFILES | golden $pass/$total (${t_golden} s) | tiny generate ${t_gen} s | real run $real | peak nvidia-smi ${peak:-?} MiB | \`benchmark/gpu-acceptance.sh\` |"
echo "$row" | tee -a "$ROOT/benchmark/RESULTS.md"
[[ $fails == 0 ]] && { echo "ACCEPTANCE PASS"; exit 0; }
echo "$fails FAILED"; exit 1
