#!/usr/bin/env bash
# nightly.sh: one night of the checkpoint regression on this machine (Spark local[*]); builds on first use.
#   submit/nightly.sh --candidate s3a://ckpt/2025-11-25/ --baseline-checkpoint s3a://ckpt/release-1/ [--home s3a://k5/nightly]
#   submit/nightly.sh --candidate ./ckpt/new --baseline-run ckpt-0123456789abcdef   (a run under <home>/runs/)
# Defaults: configs/jobs/nightly.yaml (override with --job-config FILE or any option).
# Exit codes: 0 pass (or skipped: same checkpoint digest as the last judged night), 2 bad options or config,
# 3 regression, 4 error (the night could not be judged; verdict.json says why). The table: k5 --help.
# On a cluster, run the same options through spark-submit: --class org.k5spark.jobs.nightly.NightlyMain <app jar>.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export K5_JAVA_OPTS="${K5_JAVA_OPTS:--Xmx4g}"
exec "$ROOT/submit/k5" nightly "$@"
