#!/usr/bin/env bash
# VAE decode benchmark (tiled vs untiled, time + peak RSS): builds benchmark + its deps through the reactor
# (never installs), then runs org.k5spark.benchmark.VaeDecodeBenchmark. Arguments are passed through, e.g.
#   benchmark/run-vae-decode.sh --runs "6,64,96:auto;6,64,96:off" --width 8 --out benchmark/results/vae-decode.json
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/java.sh" 1g org.k5spark.benchmark.VaeDecodeBenchmark "$@"
