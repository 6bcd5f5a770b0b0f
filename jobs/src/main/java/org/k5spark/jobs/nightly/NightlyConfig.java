package org.k5spark.jobs.nightly;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * One nightly regression check.
 *
 * @param home        nightly root (any Hadoop FS path): {@code runs/<run_id>/} (generation runs, reused by digest),
 *                    {@code nights/<night_id>/} (report.html, summary.md, verdict.json, comparison rows),
 *                    {@code history.csv} + {@code history.parquet}
 * @param nightId     this night's name (default: UTC timestamp)
 * @param candidate   weights root of the candidate checkpoint (any Hadoop FS path)
 * @param baselineRun a previous generation run directory to compare against, or null
 * @param baselineCheckpoint weights root of a baseline checkpoint to generate with (when no baselineRun)
 * @param model       model config YAML for both checkpoints
 * @param prompts     prompt CSV the fixed subset is drawn from
 * @param sample      subset size, drawn stratified by concept x motion level (deterministic: same every night)
 * @param maxDrop     gated metrics: metric → largest allowed drop of the candidate's mean (in the metric's
 *                    better direction) relative to the baseline
 * @param winRateGate also fail a gated metric whose win-rate CI upper bound lies below 50 %
 */
public record NightlyConfig(String home, String nightId, String candidate, String baselineRun, String baselineCheckpoint,
    String model, String factory, List<String> prompts, int sample, long baseSeed, Double seconds, Integer steps,
    Map<String, Double> maxDrop, boolean winRateGate, int resamples, String weightsDir, String device, int partitions)
    implements Serializable {
  public NightlyConfig {
    require(home, "--home");
    require(nightId, "--night-id");
    require(candidate, "--candidate");
    require(model, "--model");
    if (prompts == null || prompts.isEmpty()) {
      throw new IllegalArgumentException("--prompts is required");
    }
    if ((baselineRun == null) == (baselineCheckpoint == null)) {
      throw new IllegalArgumentException("give exactly one of --baseline-run and --baseline-checkpoint");
    }
    if (maxDrop == null || maxDrop.isEmpty()) {
      throw new IllegalArgumentException("--max-drop: at least one gated metric (METRIC=MARGIN) is required");
    }
    maxDrop = Map.copyOf(maxDrop);
    prompts = List.copyOf(prompts);
  }

  private static void require(String v, String option) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(option + " is required");
    }
  }

  public Path runs() {
    return new Path(home, "runs");
  }

  public Path night() {
    return new Path(new Path(home, "nights"), nightId);
  }

  public Path historyCsv() {
    return new Path(home, "history.csv");
  }

  public Path historyParquet() {
    return new Path(home, "history.parquet");
  }
}
