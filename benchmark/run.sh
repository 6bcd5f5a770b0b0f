#!/usr/bin/env bash
# End-to-end benchmark: prompt -> MP4 on one device, per-stage times, s/video, videos/hour, peak RSS
# (and GPU memory), DiT FLOP/s and MFU. Writes benchmark/results/e2e-*.json and adds a row to
# benchmark/RESULTS.md (not with --check).
#
#   benchmark/run.sh --config configs/model/tiny.yaml [--device gpu] [--prompts N] [--peak-tflops X]
#                    [--weights DIR] [--notes TEXT] [--check]
#
#   --config       model YAML (or embedded name, e.g. tiny); the tiny config gets its checkpoint written to
#                  /tmp/k5-bench-tiny-weights (or --weights) first
#   --device       cpu (default), gpu, gpu:N (GPU needs the -Pgpu build: K5_MVN_PROFILES=gpu)
#   --prompts      videos to time (default 3) after one untimed warm-up video; prompts come from
#                  configs/prompts/sample.csv when present, else a built-in list
#   --peak-tflops  the device's peak for MFU; default: measured with a matmul probe (fp32 1024^3 on CPU,
#                  fp16 8192^3 on GPU) and stated in the row
#   --check        one prompt, JSON to /tmp only (no RESULTS.md row): checks that the harness runs
# Env: K5_JAVA_OPTS (extra JVM options, e.g. -Dk5.attention=chunked), K5_BENCH_HEAP (default 3g),
# K5_MVN_PROFILES (e.g. gpu). Builds (offline, through the reactor, never installs) when the benchmark
# classes are missing or older than a source file.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then sed -n 2,20p "$0"; exit 0; fi
STAMP=benchmark/target/classpath.txt
if [[ ! -f "$STAMP" ]] || [[ -n "$(find pipeline-core/src/main eval/src/main benchmark/src/main configs -newer "$STAMP" -type f -print -quit)" ]]; then
  PROFILES=()
  [[ -n "${K5_MVN_PROFILES:-}" ]] && PROFILES=(-P "$K5_MVN_PROFILES")
  echo "run.sh: building benchmark (mvn -o -pl benchmark -am package)" >&2
  mvn -B -q -o -pl benchmark -am -DskipTests "${PROFILES[@]}" package >&2
  touch "$STAMP"
fi
CP="benchmark/target/classes:pipeline-core/target/classes:eval/target/classes:$(cat "$STAMP")"
export OPT_OUT_TRACKING=true
# K5_JAVA_OPTS passes JVM options through, e.g. K5_JAVA_OPTS=-Dk5.attention=chunked
# shellcheck disable=SC2086
exec java -Xmx${K5_BENCH_HEAP:-3g} ${K5_JAVA_OPTS:-} -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" org.k5spark.benchmark.e2e.EndToEndBenchmark "$@"
