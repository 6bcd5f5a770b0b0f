#!/usr/bin/env bash
# Seconds per video of VBench's dynamic_degree estimator (RAFT, 20 iterations) and its FLOP count.
#   benchmark/raft-dynamic-degree.sh [--size 49x256x256] [--fps 24] [--pairs 2] [--device cpu] [--out FILE.json]
# Prints JSON and a RESULTS.md table row (section "RAFT dynamic_degree"); not a test.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/java.sh" 8g org.k5spark.benchmark.eval.RaftBenchmark "$@"
