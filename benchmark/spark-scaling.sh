#!/usr/bin/env bash
# Spark scaling: the GenerateVideos job (`k5 generate`) on local-cluster[N,1,MB] for N = 1 2 4 executors
# (one core each), same prompts and model each time; reports wall time, videos/minute and scaling
# efficiency (throughput_N / (N * throughput_1)) as JSON under benchmark/results/ and rows in RESULTS.md.
#
#   benchmark/spark-scaling.sh [--config configs/model/tiny.yaml] [--prompts N] [--executors "1 2 4"]
#                              [--executor-mb 2048] [--prompts-csv configs/prompts/sample.csv]
#
# Needs the Spark job (branch spark: org.k5spark.jobs.generate.GenerateCommand). Without it the script says
# so and exits 3. local-cluster executors are separate JVMs started through Spark's launcher, which needs a
# SPARK_HOME: when none is set, one is faked under /tmp (empty RELEASE + jars/ linking every classpath jar
# and a jar of the project classes), as notes/stack.md §4 describes.
# On a 2-core machine more than 2 executors oversubscribe the CPU: the numbers then show contention, not
# scaling; they are meant for a multi-core or multi-GPU host.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CONFIG=configs/model/tiny.yaml; PROMPTS=8; EXECUTORS="1 2 4"; EXEC_MB=2048; CSV=configs/prompts/sample.csv
while [[ $# -gt 0 ]]; do
  case "$1" in
    --config) CONFIG="$2"; shift 2;;
    --prompts) PROMPTS="$2"; shift 2;;
    --executors) EXECUTORS="$2"; shift 2;;
    --executor-mb) EXEC_MB="$2"; shift 2;;
    --prompts-csv) CSV="$2"; shift 2;;
    -h|--help) sed -n 2,16p "$0"; exit 0;;
    *) echo "spark-scaling: unknown argument $1" >&2; exit 2;;
  esac
done
if [[ ! -f jobs/src/main/java/org/k5spark/jobs/generate/GenerateCommand.java ]]; then
  echo "spark-scaling: PENDING - the Spark GenerateVideos job (k5 generate) is not on this branch yet" >&2
  exit 3
fi
if [[ ! -f "$CSV" ]]; then echo "spark-scaling: no prompt CSV at $CSV" >&2; exit 2; fi
mvn -B -q -o -DskipTests package -pl jobs -am >&2
WORK="${TMPDIR:-/tmp}/k5-spark-scaling"; mkdir -p "$WORK"
WEIGHTS="$WORK/weights"
if grep -q 'variant: "tiny"' "$CONFIG"; then
  echo "spark-scaling: writing the tiny checkpoint to $WEIGHTS" >&2
  submit/k5 tiny-checkpoint "$WEIGHTS" >&2
fi
if [[ -z "${SPARK_HOME:-}" ]]; then
  export SPARK_HOME="$WORK/spark-home"; rm -rf "$SPARK_HOME"; mkdir -p "$SPARK_HOME/jars"; touch "$SPARK_HOME/RELEASE"
  CP="$(cat jobs/target/classpath.txt):$(cat jobs/target/classpath-provided.txt)"
  IFS=: read -ra JARS <<< "$CP"
  for j in "${JARS[@]}"; do [[ -f "$j" ]] && ln -sf "$j" "$SPARK_HOME/jars/$(basename "$j")"; done
  for m in pipeline-core eval jobs; do (cd "$m/target/classes" && jar cf "$SPARK_HOME/jars/k5spark-$m.jar" .); done
fi
export SPARK_SCALA_VERSION=2.12
OPENS="$(grep -o '<spark.java17.opens>[^<]*' pom.xml | sed 's/<spark.java17.opens>//')"
head -n $((PROMPTS + 1)) "$CSV" > "$WORK/prompts.csv"   # header + N rows (prompts are one line each in sample.csv)
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULT="benchmark/results/spark-scaling-$STAMP.json"
echo "[" > "$RESULT.tmp"
FIRST=1; BASE=""
for N in $EXECUTORS; do
  RUN="scale-$N-$STAMP"
  START=$(date +%s.%N)
  submit/k5 generate --prompts "$WORK/prompts.csv" --out "$WORK/out" --run-id "$RUN" \
    --model "$CONFIG" --weights-root "$WEIGHTS" --partitions "$((N * 2))" \
    --master "local-cluster[$N,1,$EXEC_MB]" \
    --conf "spark.executor.memory=$((EXEC_MB * 3 / 4))m" --conf "spark.executor.cores=1" \
    --conf "spark.executor.extraJavaOptions=$OPENS -Dai.djl.offline=true" \
    --conf "spark.executorEnv.OPT_OUT_TRACKING=true" >&2
  END=$(date +%s.%N)
  VIDEOS=$(find "$WORK/out/$RUN/videos" -name '*.mp4' | wc -l)
  WALL=$(echo "$END - $START" | bc -l)
  VPM=$(echo "$VIDEOS * 60 / $WALL" | bc -l)
  [[ -z "$BASE" ]] && BASE=$(echo "$VPM / $N" | bc -l)
  EFF=$(echo "$VPM / ($N * $BASE)" | bc -l)
  [[ $FIRST -eq 0 ]] && echo "," >> "$RESULT.tmp"; FIRST=0
  printf '{"executors": %d, "videos": %d, "wall_s": %.2f, "videos_per_min": %.3f, "efficiency_vs_1": %.3f}' \
    "$N" "$VIDEOS" "$WALL" "$VPM" "$EFF" >> "$RESULT.tmp"
  ROW=$(printf '| %s | %s | local-cluster[%d,1,%d] | %d | %.1f | %.2f | %.2f | %s |' "$(date -u '+%Y-%m-%d %H:%M')" \
    "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$N" "$EXEC_MB" "$VIDEOS" "$WALL" "$VPM" "$EFF" "$CONFIG")
  python3 - "$ROW" <<'PY'
import sys, pathlib
p = pathlib.Path("benchmark/RESULTS.md"); doc = p.read_text(); marker = "<!-- spark-scaling rows: spark-scaling.sh inserts above this line -->"
doc = doc.replace(marker, sys.argv[1] + "\n" + marker) if marker in doc else doc + "\n" + sys.argv[1] + "\n"
tmp = p.with_suffix(".md.tmp"); tmp.write_text(doc); tmp.replace(p)
PY
done
echo "]" >> "$RESULT.tmp"; mv "$RESULT.tmp" "$RESULT"
cat "$RESULT"
