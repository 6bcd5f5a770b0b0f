#!/usr/bin/env bash
# Evaluation throughput: MP4 decode + the model-free VBench-style metrics per video (videos/hour, frames/s,
# the slowest metrics). JSON under benchmark/results/, a row in benchmark/RESULTS.md (not with --check).
#   benchmark/eval-throughput.sh [--videos /tmp/k5-bench-videos] [--synthetic 25x64x64] [--count 4] [--check]
# Without --videos (or with an empty directory) it encodes synthetic noisy clips of FxHxW first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STAMP=benchmark/target/classpath.txt
if [[ ! -f "$STAMP" ]] || [[ -n "$(find pipeline-core/src/main eval/src/main benchmark/src/main -newer "$STAMP" -type f -print -quit)" ]]; then
  mvn -B -q -o -pl benchmark -am -DskipTests package >&2
  touch "$STAMP"
fi
CP="benchmark/target/classes:pipeline-core/target/classes:eval/target/classes:$(cat "$STAMP")"
export OPT_OUT_TRACKING=true
exec java -Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" org.k5spark.benchmark.eval.EvalThroughputBenchmark "$@"
