#!/usr/bin/env bash
# VAE decode benchmark (tiled vs untiled, time + peak RSS): builds benchmark + its deps through the reactor
# (never installs), then runs org.k5spark.benchmark.VaeDecodeBenchmark. Arguments are passed through, e.g.
#   benchmark/run-vae-decode.sh --runs "6,64,96:auto;6,64,96:off" --width 8 --out benchmark/results/vae-decode.json
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -o -pl benchmark -am -DskipTests package >&2
CP="benchmark/target/classes:pipeline-core/target/classes:eval/target/classes:$(cat benchmark/target/classpath.txt)"
exec java -Xmx1g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  org.k5spark.benchmark.VaeDecodeBenchmark "$@"
