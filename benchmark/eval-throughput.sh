#!/usr/bin/env bash
# Evaluation throughput: MP4 decode + the model-free VBench-style metrics per video (videos/hour, frames/s,
# the slowest metrics). JSON under benchmark/results/, a row in benchmark/RESULTS.md (not with --check).
#   benchmark/eval-throughput.sh [--videos /tmp/k5-bench-videos] [--synthetic 25x64x64] [--count 4] [--check]
# Without --videos (or with an empty directory) it encodes synthetic noisy clips of FxHxW first.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/java.sh" 2g org.k5spark.benchmark.eval.EvalThroughputBenchmark "$@"
