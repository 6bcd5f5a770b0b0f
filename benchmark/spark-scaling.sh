#!/usr/bin/env bash
# Spark scaling: the GenerateVideos job (`k5 generate`) on local-cluster[N,1,MB] for N = 1 2 4 executors
# (one core each), same prompts and model each time; reports wall time, the generation window (first task
# scheduled to last video committed, from the job's log), videos/minute over that window, scaling
# efficiency (throughput_N / (N * throughput_1)) and each executor's busy seconds (manifest stage times),
# as JSON under benchmark/results/ and rows in RESULTS.md.
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
    -h|--help) sed -n 2,18p "$0"; exit 0;;
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
head -n $((PROMPTS + 1)) "$CSV" > "$WORK/prompts.csv"   # header + N rows (prompts are one line each in sample.csv)
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULT="benchmark/results/spark-scaling-$STAMP.json"
MACHINE="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo) GiB"
ROWS=()
for N in $EXECUTORS; do
  RUN="scale-$N-$STAMP"
  LOG="$WORK/$RUN.log"
  START=$(date +%s.%N)
  submit/k5 generate --prompts "$WORK/prompts.csv" --out "$WORK/out" --run-id "$RUN" \
    --model "$CONFIG" --weights-root "$WEIGHTS" --partitions "$((N * 2))" \
    --master "local-cluster[$N,1,$EXEC_MB]" \
    --conf "spark.executor.memory=$((EXEC_MB * 3 / 4))m" --conf "spark.executor.cores=1" \
    --conf "spark.sql.warehouse.dir=$WORK/spark-warehouse" \
    --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true" \
    --conf "spark.executorEnv.OPT_OUT_TRACKING=true" 2>&1 | tee "$LOG" >&2
  END=$(date +%s.%N)
  ROWS+=("$N $(find "$WORK/out/$RUN/videos" -name '*.mp4' | wc -l) $(echo "$END - $START" | bc -l) $LOG $WORK/out/$RUN/manifest.csv")
done
# Generation window = from the job's "N to generate" line to its last "videos done" line (log timestamps):
# the scaling figure; wall also counts Spark start-up, executor launch + model load, and the manifest.
python3 - "$RESULT" "$MACHINE" "$EXEC_MB" "$CONFIG" "${ROWS[@]}" <<'PY'
import csv, datetime, json, pathlib, re, sys
result, machine, exec_mb, config, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
def ts(line):
    return datetime.datetime.strptime(line[:12], "%H:%M:%S.%f")
out, base = [], None
for r in rows:
    n, videos, wall, log, manifest = r.split(" ")
    lines = pathlib.Path(log).read_text(errors="replace").splitlines()
    start = next(ts(l) for l in lines if re.match(r"\d\d:\d\d:\d\d\.\d{3} ", l) and "to generate" in l)
    end = [ts(l) for l in lines if re.match(r"\d\d:\d\d:\d\d\.\d{3} ", l) and "videos done" in l][-1]
    gen = (end - start).total_seconds() % 86400
    busy = {}
    with open(manifest, newline="") as f:
        for m in csv.DictReader(f):
            busy[m["executor_id"]] = busy.get(m["executor_id"], 0) + sum(
                float(m[k] or 0) for k in ("text_encode_ms", "denoise_ms", "decode_ms", "encode_ms", "upload_ms")) / 1000
    vpm = int(videos) * 60 / gen
    base = base or vpm / int(n)
    out.append({"executors": int(n), "videos": int(videos), "wall_s": round(float(wall), 2),
                "generation_window_s": round(gen, 2), "videos_per_min": round(vpm, 3),
                "efficiency_vs_1": round(vpm / (int(n) * base), 3),
                "busy_s_per_executor": {k: round(v, 2) for k, v in sorted(busy.items())}})
doc = {"benchmark": "spark_scaling", "date": datetime.datetime.utcnow().isoformat() + "Z", "machine": machine,
       "config": config, "executor_mb": exec_mb, "runs": out}
pathlib.Path(result).write_text(json.dumps(doc, indent=2) + "\n")
md = pathlib.Path("benchmark/RESULTS.md"); text = md.read_text()
marker = "<!-- spark-scaling rows: spark-scaling.sh inserts above this line -->"
date = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
new = "".join(f"| {date} | {machine} | local-cluster[{o['executors']},1,{exec_mb}] | {o['videos']} | {o['wall_s']:.1f} "
              f"| {o['generation_window_s']:.1f} | {o['videos_per_min']:.2f} | {o['efficiency_vs_1']:.2f} | {config} |\n" for o in out)
text = text.replace(marker, new + marker) if marker in text else text + "\n" + new
tmp = md.with_suffix(".md.tmp"); tmp.write_text(text); tmp.replace(md)
print(json.dumps(doc, indent=2))
PY
