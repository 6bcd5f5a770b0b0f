package org.k5spark.jobs.evaluate;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.k5spark.jobs.spark.LocalSparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code k5 evaluate --run <out>/<run_id>}: the EvaluateVideos job from the command line (local[*] unless
 * --master); under spark-submit ({@link EvaluateVideosMain}) it uses the session spark-submit configured.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Score every generated video of a run with the VBench-style metrics (Spark).",
        "Runs in parallel on Spark. Writes under <run>/eval/: parts/<prompt_id>.json, metrics.csv",
        "(the format k5 compare / k5 report read), metrics.parquet, aggregates.csv/.parquet",
        "(overall, per concept label, per motion level, bootstrap CIs) and eval.json.",
        "Re-running skips videos already scored. Missing or corrupt videos become rows",
        "with status missing/corrupt and the reason.",
        "Exit codes: 0 ok, 1 error, 2 usage."})
public class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "The generation run directory <out>/<run_id> (any Hadoop FS path).")
  String run;

  @Option(names = "--weights-dir", description = "Safetensors of the model-based metrics (any Hadoop FS path; cached"
      + " per executor). Without it those metrics are 'not computed (no weights)'.")
  String weightsDir;

  @Option(names = "--device", description = "Device of the model-based metrics: cpu, gpu, gpu:N, auto. A GPU that Spark"
      + " assigned to the task wins. Default: ${DEFAULT-VALUE}")
  String device = "cpu";

  @Option(names = "--partitions", description = "Spark partitions; 0 = 2 x default parallelism. Default: ${DEFAULT-VALUE}")
  int partitions;

  @Option(names = "--resamples", description = "Bootstrap resamples of the aggregate CIs. Default: ${DEFAULT-VALUE}")
  int resamples = 2000;

  @Option(names = "--seed", description = "Bootstrap seed. Default: ${DEFAULT-VALUE}")
  long seed = 20251125L;

  @Option(names = "--level", description = "Confidence level. Default: ${DEFAULT-VALUE}")
  double level = 0.95;

  @Mixin LocalSparkOptions sparkOptions;

  private final boolean local;

  public EvaluateCommand() {
    this(true);
  }

  EvaluateCommand(boolean local) {
    this.local = local;
  }

  @Override
  public Integer call() throws Exception {
    EvaluateConfig cfg = new EvaluateConfig(run, weightsDir, device, partitions, resamples, seed, level);
    boolean ownSession = LocalSparkOptions.startsOwnSession(local);
    SparkSession spark = sparkOptions.session(local, "k5 evaluate");
    try {
      EvaluateVideosJob.Summary s = EvaluateVideosJob.run(spark, cfg);
      System.out.printf("k5 evaluate %s: %d prompts, %d scored ok, %d missing, %d corrupt, %d errors, %d generation"
          + " failed, %d already scored; metrics %s%n", s.runId(), s.videos(), s.ok(), s.missing(), s.corrupt(),
          s.errors(), s.generationFailed(), s.skipped(), s.metricsCsv());
      if (EvaluateVideosJob.ABORTED.equals(s.state())) {
        System.err.println("k5 evaluate: the evaluate stage aborted (tables written from what was scored): "
            + s.abortReason());
        return org.k5spark.core.cli.ExitCode.ABORTED;
      }
      return 0;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }
}
