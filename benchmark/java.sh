#!/usr/bin/env bash
# One launcher for the benchmark harnesses: builds benchmark and its modules through the reactor when a source is
# newer than the last build (never installs), then runs MAIN offline with DJL tracking off (as every k5 JVM).
#   benchmark/java.sh HEAP MAIN [args...]     e.g. benchmark/java.sh 2g org.k5spark.benchmark.eval.EvalThroughputBenchmark
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HEAP="$1"
MAIN="$2"
shift 2
STAMP=benchmark/target/classpath.txt
if [[ ! -f "$STAMP" ]] || [[ -n "$(find pipeline-core/src/main eval/src/main benchmark/src/main -newer "$STAMP" -type f -print -quit)" ]]; then
  mvn -B -q -o -pl benchmark -am -DskipTests package >&2
  touch "$STAMP"
fi
CP="benchmark/target/classes:pipeline-core/target/classes:eval/target/classes:$(cat "$STAMP")"
export OPT_OUT_TRACKING=true
exec java "-Xmx$HEAP" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$MAIN" "$@"
