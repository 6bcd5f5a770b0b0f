package org.k5spark.jobs.evaluate;

import java.io.Serializable;

/**
 * Settings of one evaluation.
 *
 * @param runDir     the generation run to score ({@code <out>/<run_id>}, any Hadoop FS path)
 * @param weightsDir safetensors of the model-based metrics (any Hadoop FS path; cached per executor), or null
 * @param device     cpu | gpu | gpu:N | auto for the model-based metrics; a GPU Spark assigned to the task wins
 * @param partitions Spark partitions; 0 = 2 x default parallelism
 * @param resamples  bootstrap resamples of the aggregate CIs
 * @param seed       bootstrap seed
 * @param level      confidence level of the aggregate CIs
 */
public record EvaluateConfig(String runDir, String weightsDir, String device, int partitions, int resamples, long seed,
    double level) implements Serializable {
  public EvaluateConfig {
    if (runDir == null || runDir.isBlank()) {
      throw new IllegalArgumentException("--run is required (the generation run directory <out>/<run_id>)");
    }
    device = device == null ? "cpu" : device;
  }

  public static EvaluateConfig of(String runDir) {
    return new EvaluateConfig(runDir, null, "cpu", 0, 2000, 20251125L, 0.95);
  }

  public EvaluateConfig withRunDir(String dir, String weights) {
    return new EvaluateConfig(dir, weights, device, partitions, resamples, seed, level);
  }

  public EvalLayout layout() {
    return new EvalLayout(runDir);
  }

  /** The run's label: the last path element ({@code <run_id>}). */
  public String runId() {
    return layout().run().getName();
  }
}
