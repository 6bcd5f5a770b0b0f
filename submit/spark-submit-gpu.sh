#!/usr/bin/env bash
# Cluster template: the GenerateVideos job on GPU executors (Spark standalone, YARN or Kubernetes).
#
#   MASTER=yarn submit/spark-submit-gpu.sh --prompts s3a://bucket/prompts/moviegen.csv \
#     --out s3a://bucket/k5 --run-id nightly-2026-11-25 --model s3a://bucket/models/k5-t2v-lite.yaml \
#     --weights-root s3a://bucket/models/k5-t2v-lite
#
# Knobs (environment): MASTER (required: spark://host:7077 | yarn | k8s://https://api:6443), DEPLOY_MODE (client),
# APP_JAR (jobs/target/jobs-*-app.jar; build with `mvn -Pgpu -pl jobs -am package -DskipTests` for CUDA libtorch),
# EXECUTORS (2), GPUS_PER_EXECUTOR (1: one task per GPU), EXECUTOR_MEMORY (16g), EXECUTOR_OVERHEAD (24g: libtorch and
# CUDA allocate off-heap), S3_ENDPOINT (non-AWS S3), K8S_IMAGE (Kubernetes), HADOOP_AWS_JARS (comma list, when the
# Spark distribution lacks hadoop-aws 3.3.4 + aws-java-sdk-bundle), GPU_DISCOVERY_SCRIPT, SPARK_HOME, MAIN_CLASS + APP_NAME
# (the other jobs: org.k5spark.jobs.evaluate.EvaluateVideosMain --run s3a://bucket/k5/<run_id> [--weights-dir ...];
# org.k5spark.jobs.nightly.NightlyMain --candidate ... --baseline-checkpoint ... --home s3a://bucket/k5-nightly).
#
# Credentials are NEVER passed here: s3a takes them from its provider chain on driver and executors —
# instance profile / IRSA web identity / environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN set
# by the cluster, e.g. spark.kubernetes.driver.secretKeyRef.*, YARN container env from a credential store) or a Hadoop
# credential provider file (S3A_CREDENTIAL_PROVIDER_PATH=jceks://hdfs/...). run.json redacts any key/secret/token conf.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${MASTER:?set MASTER to spark://host:7077, yarn or k8s://https://host:port}"
: "${SPARK_HOME:?set SPARK_HOME to a Spark 3.5.x (Scala 2.12) distribution}"
APP_JAR="${APP_JAR:-$(ls "$ROOT"/jobs/target/jobs-*-app.jar 2>/dev/null | head -1)}"
[[ -f "$APP_JAR" ]] || { echo "no app jar: mvn -B -pl jobs -am package -DskipTests (add -Pgpu for CUDA)" >&2; exit 2; }
GPUS="${GPUS_PER_EXECUTOR:-1}"

args=(
  --master "$MASTER" --deploy-mode "${DEPLOY_MODE:-client}"
  --name "${APP_NAME:-k5-generate}"
  --class "${MAIN_CLASS:-org.k5spark.jobs.generate.GenerateVideosMain}"
  --num-executors "${EXECUTORS:-2}"
  --executor-cores "$GPUS"
  --executor-memory "${EXECUTOR_MEMORY:-16g}"
  --conf spark.executor.memoryOverhead="${EXECUTOR_OVERHEAD:-24g}"
  # Spark's resource scheduling: each task gets one GPU address, the job maps it to Device.gpu(N)
  --conf spark.executor.resource.gpu.amount="$GPUS"
  --conf spark.task.resource.gpu.amount=1
  --conf spark.executor.resource.gpu.vendor=nvidia.com
  # shipped with --files into each container's working dir (YARN, standalone); on Kubernetes bake it into the
  # image and set GPU_DISCOVERY_SCRIPT=/opt/k5/get-gpus.sh
  --conf spark.executor.resource.gpu.discoveryScript="${GPU_DISCOVERY_SCRIPT:-./get-gpus.sh}"
  --files "$ROOT/submit/get-gpus.sh"
  # a GPU task is minutes long: retry failed tasks (committed prompts are skipped), no speculation by default
  --conf spark.task.maxFailures=4
  --conf spark.speculation=false
  --conf spark.dynamicAllocation.enabled=false
  # natives: no DJL downloads or telemetry on executors; libtorch/ffmpeg unpack to local disk
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true -DDJL_CACHE_DIR=./djl-cache -Dorg.bytedeco.javacpp.cachedir=./javacpp-cache"
  --conf "spark.driver.extraJavaOptions=-Dai.djl.offline=true"
  --conf spark.executorEnv.OPT_OUT_TRACKING=true
  # s3a: credentials from the provider chain (see header), never from this command line
  --conf spark.hadoop.fs.s3a.aws.credentials.provider="${S3A_CREDENTIALS_PROVIDER:-com.amazonaws.auth.WebIdentityTokenCredentialsProvider,org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider,com.amazonaws.auth.EnvironmentVariableCredentialsProvider}"
  --conf spark.hadoop.fs.s3a.fast.upload=true
  # Object-store commits. The tables (manifest, metrics, aggregates, history) never depend on Spark's committer:
  # Spark writes each Parquet copy under <run>/_tmp, and the driver commits its one data file into the final
  # directory under a fixed name with a single PUT (ItemJob.commitTable), so a killed job leaves the old table or
  # the new one (TableCommitKillTest). Spark's default FileOutputCommitter still renames the staging output on
  # s3a (a slow copy, and unsafe if anything read it); the S3A committers avoid that. Checked against this
  # project's Hadoop 3.3.4: hadoop-aws has org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory (magic,
  # directory, partitioned), hadoop-client-api has BindingPathOutputCommitter. Spark SQL additionally needs
  # spark-hadoop-cloud_2.12 (same version as Spark, 3.5.x; not a dependency of this project, add it with
  # --packages or the cluster image) for the two spark.sql.* classes below; without that jar, leave them out.
  --conf spark.hadoop.fs.s3a.committer.name="${S3A_COMMITTER:-magic}"   # or: directory (staging on local disk)
  --conf spark.hadoop.fs.s3a.committer.magic.enabled=true
  --conf spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a=org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory
)
if [[ -n "${SPARK_HADOOP_CLOUD:-}" ]]; then  # spark-hadoop-cloud on the classpath: Spark SQL uses the S3A committer
  args+=(--conf spark.sql.sources.commitProtocolClass=org.apache.spark.internal.io.cloud.PathOutputCommitProtocol
         --conf spark.sql.parquet.output.committer.class=org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter)
fi
if [[ -n "${S3_ENDPOINT:-}" ]]; then
  args+=(--conf spark.hadoop.fs.s3a.endpoint="$S3_ENDPOINT" --conf spark.hadoop.fs.s3a.path.style.access=true)
fi
if [[ -n "${S3A_CREDENTIAL_PROVIDER_PATH:-}" ]]; then
  args+=(--conf spark.hadoop.hadoop.security.credential.provider.path="$S3A_CREDENTIAL_PROVIDER_PATH")
fi
if [[ -n "${HADOOP_AWS_JARS:-}" ]]; then
  args+=(--jars "$HADOOP_AWS_JARS")
fi
if [[ "$MASTER" == k8s://* ]]; then
  : "${K8S_IMAGE:?set K8S_IMAGE (an image with Spark 3.5, Java 17 and the NVIDIA runtime)}"
  args+=(--conf spark.kubernetes.container.image="$K8S_IMAGE"
         --conf spark.kubernetes.executor.podNamePrefix=k5-generate)
fi
# Standalone: each worker also needs spark.worker.resource.gpu.amount and
# spark.worker.resource.gpu.discoveryScript=<path>/get-gpus.sh in its own spark-defaults.conf / SPARK_WORKER_OPTS.
exec "$SPARK_HOME/bin/spark-submit" "${args[@]}" "$APP_JAR" "$@"
