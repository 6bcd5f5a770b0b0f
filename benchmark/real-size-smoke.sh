#!/usr/bin/env bash
# Real-size smoke on the CPU: random checkpoints at the released sizes (2B DiT in bf16, full HunyuanVideo VAE
# decoder, CLIP ViT-L/14 text tower, Qwen2.5-VL at its real width with a few layers; ~7 GB on disk), then one
# `k5 generate` of sft_5s at a small size with 2 steps. Prints load time, peak RSS and per-stage times (the
# lines to copy into benchmark/RESULTS.md) and deletes the checkpoints unless --keep.
#
#   benchmark/real-size-smoke.sh [--dir DIR] [--width 512 --height 512] [--seconds 0] [--steps 2]
#                                [--qwen-layers 2] [--keep]
#
#   --dir          where the checkpoints and the run go (default /tmp/k5-real-size; needs ~8 GB free)
#   --seconds      0 = one frame (the default: a 2B DiT step costs ~4 TFLOP per 1024 tokens on the CPU)
# Needs ~12 GB of free RAM (the CPU runs float32: DiT 8.5 GB, Qwen 2 layers 4 GB, VAE 0.5 GB).
# Env: K5_JAVA_OPTS (default -Xmx3g; add -Dk5.textPrecision=fp16 to time the half text path).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR=/tmp/k5-real-size; W=512; H=512; SECONDS_=0; STEPS=2; QL=2; KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2;; --width) W="$2"; shift 2;; --height) H="$2"; shift 2;;
    --seconds) SECONDS_="$2"; shift 2;; --steps) STEPS="$2"; shift 2;; --qwen-layers) QL="$2"; shift 2;;
    --keep) KEEP=1; shift;;
    -h|--help) sed -n 2,13p "$0"; exit 0;;
    *) echo "real-size-smoke.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
K5="$ROOT/submit/k5"
# JavaCPP caps native memory at a multiple of the heap by default (12 GB for -Xmx3g): a 2B float32 DiT exceeds it
export K5_JAVA_OPTS="${K5_JAVA_OPTS:--Xmx3g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0}"
mkdir -p "$DIR"
[[ $KEEP == 1 ]] || trap 'rm -rf "$DIR/weights" "$DIR/run" "$DIR/prompt.csv"' EXIT
if [[ ! -f "$DIR/weights/model/kandinsky5lite_t2v_sft_5s.safetensors" ]]; then
  "$K5" tiny-checkpoint --released-sizes "$ROOT/configs/model/sft_5s.yaml" --qwen-layers "$QL" "$DIR/weights"
fi
printf 'prompt\n"A red fox runs through fresh snow at dawn, cinematic, shallow depth of field"\n' > "$DIR/prompt.csv"
rm -rf "$DIR/run"
/usr/bin/time -v -o "$DIR/time.txt" "$K5" generate --prompts "$DIR/prompt.csv" --out "$DIR/run" --run-id smoke \
  --model "$ROOT/configs/model/sft_5s.yaml" --weights-root "$DIR/weights" --width "$W" --height "$H" \
  --seconds "$SECONDS_" --steps "$STEPS" --progress-interval-ms 10000 2>&1 | tee "$DIR/generate.log" \
  | grep -E "loaded|videos done|k5 generate|ERROR|failed" || true
python3 - "$DIR" <<'PY'
import csv, re, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(f"{d}/run/smoke/manifest.csv")))
log = open(f"{d}/generate.log").read()
t = open(f"{d}/time.txt").read()
load = re.search(r"loaded \S+ \(.*?\) on \S+ in (\d+) ms", log)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", t).group(1)
r = rows[0]
print(f"status {r['status']} {r['error']}".strip())
print(f"load (DiT + VAE) {int(load.group(1)) / 1000:.1f} s" if load else "load: no 'loaded' line in the log")
for k in ("text_encode_ms", "denoise_ms", "decode_ms", "encode_ms"):
    print(f"{k[:-3]} {float(r[k]) / 1000:.1f} s" if r[k] else f"{k[:-3]} -")
print(f"peak RSS {rss / 1024 / 1024:.2f} GiB; wall {wall}; {r['width']}x{r['height']}, {r['frames']} frame(s), {r['steps']} steps")
sys.exit(0 if r["status"] == "ok" else 3)
PY
