#!/usr/bin/env bash
# The packaged job on this machine through Spark's own launcher (what a cluster runs, on local[*]).
#   submit/spark-submit-local.sh --prompts configs/prompts/sample.csv --out /tmp/k5-out --run-id try1 --model <yaml> ...
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, else the Spark jars Maven resolved for the build.
# For day-to-day local runs `submit/k5 generate ...` is the same job without the app jar. MAIN_CLASS picks another
# job: org.k5spark.jobs.evaluate.EvaluateVideosMain, org.k5spark.jobs.nightly.NightlyMain.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_JAR="$(ls "$ROOT"/jobs/target/jobs-*-app.jar 2>/dev/null | head -1 || true)"
if [[ ! -f "$APP_JAR" || ! -f "$ROOT/jobs/target/classpath-provided.txt" ]]; then
  echo "spark-submit-local: building the app jar…" >&2
  (cd "$ROOT" && mvn -B -q -pl jobs -am package -DskipTests >&2)
  APP_JAR="$(ls "$ROOT"/jobs/target/jobs-*-app.jar | head -1)"
fi
export OPT_OUT_TRACKING=true SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
args=(--master "${MASTER:-local[*]}" --conf spark.ui.enabled=false
      --conf "spark.driver.extraJavaOptions=-Dai.djl.offline=true"
      --class "${MAIN_CLASS:-org.k5spark.jobs.generate.GenerateVideosMain}" "$APP_JAR")
if [[ -n "${SPARK_HOME:-}" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" "${args[@]}" "$@"
fi
OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
# Spark + Hadoop (provided scope) and the libraries every Spark distribution ships beside them
CP="$(cat "$ROOT/jobs/target/classpath-provided.txt"):$(cat "$ROOT/jobs/target/classpath.txt")"
# shellcheck disable=SC2086
exec java ${K5_JAVA_OPTS:--Xmx8g} $OPENS -Dai.djl.offline=true -cp "$CP" org.apache.spark.deploy.SparkSubmit "${args[@]}" "$@"
