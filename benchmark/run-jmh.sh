#!/usr/bin/env bash
# JMH microbenchmark suite (attention, DiT block, DiT step, VAE tile, safetensors load, MP4 encode).
# Builds benchmark + its deps through the reactor (never installs), runs JMH from target/classes, writes
# JMH's JSON to benchmark/results/jmh-<UTC date>.json (or --out FILE) and prints a summary with derived units.
#   benchmark/run-jmh.sh                 # whole suite, small settings (fork 1, 1 x 2 s warm-up, 3 x 2 s measure)
#   benchmark/run-jmh.sh Attention -p seqLen=1024    # any JMH regexp / options after the script's own
# Settings can be overridden with JMH's own flags (-f, -wi, -i, -w, -r) which come after the defaults.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="benchmark/results/jmh-$(date -u +%Y%m%dT%H%MZ).json"
if [[ "${1:-}" == "--out" ]]; then OUT="$2"; shift 2; fi
mvn -B -q -o -pl benchmark -am -DskipTests package >&2
CP="benchmark/target/classes:pipeline-core/target/classes:eval/target/classes:$(cat benchmark/target/classpath.txt)"
mkdir -p "$(dirname "$OUT")"
export OPT_OUT_TRACKING=true
# JMH refuses a flag given twice: a default is dropped when the caller passes the same flag
DEFAULTS=()
for kv in "-f 1" "-wi 1" "-w 2s" "-i 3" "-r 2s"; do
  flag="${kv%% *}"
  given=false
  for a in "$@"; do [[ "$a" == "$flag" ]] && given=true; done
  $given || DEFAULTS+=($kv)
done
java -Xmx512m -cp "$CP" org.openjdk.jmh.Main "${DEFAULTS[@]}" \
  -jvmArgsAppend "-Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" \
  -rf json -rff "$OUT" "$@"
java -Xmx256m -cp "$CP" org.k5spark.benchmark.jmh.JmhSummary "$OUT"
