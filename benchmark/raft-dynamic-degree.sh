#!/usr/bin/env bash
# Seconds per video of VBench's dynamic_degree estimator (RAFT, 20 iterations) and its FLOP count.
#   benchmark/raft-dynamic-degree.sh [--size 49x256x256] [--fps 24] [--pairs 2] [--device cpu] [--out FILE.json]
# Prints JSON and a RESULTS.md table row (section "RAFT dynamic_degree"); not a test.
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
exec java -Xmx8g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" org.k5spark.benchmark.eval.RaftBenchmark "$@"
