package org.k5spark.jobs.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.store.FsCommit;
import org.k5spark.jobs.spark.HadoopConf;
import org.k5spark.jobs.spark.items.ItemJob;
import org.k5spark.jobs.spark.items.ItemTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluate job: read a generation run's manifest on the driver, skip videos an earlier evaluation
 * already scored (same video size), score the rest in parallel (one cached metric set per executor and
 * device), then assemble the per-video table and the aggregates from the committed part files.
 */
public final class EvaluateVideosJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateVideosJob.class);

  private EvaluateVideosJob() {}

  public static final String DONE = "done";
  public static final String ABORTED = "aborted";

  /**
   * What a run of the job did. {@code scored} counts videos scored by this invocation, {@code skipped} those
   * whose earlier score was kept.
   *
   * @param state done | aborted (the stage aborted: {@code abortReason}; the tables hold what was committed)
   */
  public record Summary(String runId, String state, String abortReason, int videos, int ok, int missing, int corrupt, int errors, int generationFailed,
      int skipped, int scored, String metricsCsv) {}

  public static Summary run(SparkSession spark, EvaluateConfig requested) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    EvaluateConfig cfg = requested.withRunDir(qualify(requested.runDir(), conf), qualify(requested.weightsDir(), conf));
    EvalLayout layout = cfg.layout();
    String runId = cfg.runId();

    jsc.setJobDescription("k5 evaluate " + runId + ": read manifest");
    ManifestInput manifest = ManifestInput.read(spark, layout, conf);
    List<EvalItem> generated = manifest.items().stream().filter(EvalItem::generated).toList();
    FileSystem fs = layout.dir().getFileSystem(conf);
    fs.delete(layout.tmp(), true); // what a killed run left mid-commit
    long startMs = System.currentTimeMillis();
    // set up the job: one listing of what is committed; each part is checked against its video on the executors
    EvalWork work = new EvalWork(cfg);
    Map<String, EvalRecord> before = work.parts().readAll(conf);
    LOG.info("[{}] {} prompts in the manifest, {} generated, {} scored earlier (checked on the executors)", runId,
        manifest.items().size(), generated.size(), generated.stream().filter(i -> before.containsKey(i.itemId())).count());
    int parts = cfg.partitions() > 0 ? cfg.partitions() : 2 * jsc.defaultParallelism();
    // every video of a run has the same shape, hence the same cost: dealt out round-robin
    List<List<EvalItem>> buckets = ItemJob.buckets(generated, parts);
    ItemJob.StageResult stage = ItemJob.runStage(jsc, "k5 evaluate " + runId + ": " + generated.size() + " videos in "
        + buckets.size() + " partitions", buckets, new ItemTask<>(work, 1, new HadoopConf(conf)));

    // commit the job: the tables from the parts, whatever the stage did
    jsc.setJobDescription("k5 evaluate " + runId + ": tables");
    Map<String, EvalRecord> after = work.parts().readAll(conf);
    MetricsTable table = new MetricsTable(runId, withEvalConfig(manifest.runConfig(), cfg, after,
        weightsDigest(cfg.weightsDir(), conf)), manifest.items(), after);
    ItemJob.commitTable(table.toCsv(), layout.metricsCsv(), table.toDataFrame(spark), layout.metricsParquet(),
        layout.tmp(), conf);
    RunTable run = table.runTable();
    List<Aggregates.Line> agg = Aggregates.compute(run, table.metricNames(),
        new Bootstrap(cfg.resamples(), cfg.seed(), cfg.level()));
    ItemJob.commitTable(Aggregates.toCsv(agg), layout.aggregatesCsv(), Aggregates.toDataFrame(spark, agg),
        layout.aggregatesParquet(), layout.tmp(), conf);

    Map<String, Integer> counts = new HashMap<>();
    for (EvalItem item : generated) {
      EvalRecord r = after.get(item.itemId());
      counts.merge(r == null ? EvalRecord.ERROR : r.status(), 1, Integer::sum);
    }
    int scored = 0;
    for (EvalItem item : generated) {
      EvalRecord r = after.get(item.itemId());
      if (r != null && r.finishedAtMs() >= startMs) {
        scored++;
      }
    }
    Summary s = new Summary(runId, stage.aborted() ? ABORTED : DONE, stage.abortReason(), manifest.items().size(),
        counts.getOrDefault(EvalRecord.OK, 0), counts.getOrDefault(EvalRecord.MISSING, 0),
        counts.getOrDefault(EvalRecord.CORRUPT, 0), counts.getOrDefault(EvalRecord.ERROR, 0),
        manifest.items().size() - generated.size(), generated.size() - scored, scored, layout.metricsCsv().toString());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("summary", s);
    json.put("config", cfg);
    json.put("metrics", table.metricNames());
    FsCommit.commitBytes(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json),
        layout.summaryJson(), layout.tmp(), conf);
    fs.delete(layout.tmp(), true);
    LOG.info("[{}] evaluated: {}", runId, s);
    return s;
  }

  /** The generation run's config plus how it was scored: the estimator of each metric (equal on every row). */
  private static Map<String, String> withEvalConfig(Map<String, String> runConfig, EvaluateConfig cfg,
      Map<String, EvalRecord> parts, String weightsDigest) {
    Map<String, String> c = new LinkedHashMap<>(runConfig);
    parts.values().stream().filter(EvalRecord::ok).findFirst().ifPresent(r -> r.estimators().forEach((m, e) ->
        c.put("estimator." + m, e)));
    c.put("eval_weights", cfg.weightsDir() == null ? "none" : new Path(cfg.weightsDir()).getName());
    c.put("eval_weights_digest", weightsDigest);
    return c;
  }

  /**
   * One digest of the metric weights (sha256 over "relative path=sha256" of every file, sorted), so two evaluations
   * with different weights under the same directory name are told apart; "none" without weights. Read once per
   * evaluation on the driver.
   */
  static String weightsDigest(String weightsDir, Configuration conf) throws IOException {
    if (weightsDir == null || weightsDir.isBlank()) {
      return "none";
    }
    Path root = new Path(weightsDir);
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) {
      return "none";
    }
    String base = fs.makeQualified(root).toString();
    java.util.TreeMap<String, String> files = new java.util.TreeMap<>();
    var it = fs.listFiles(root, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      String rel = p.toString().startsWith(base) ? p.toString().substring(base.length()) : p.getName();
      files.put(rel, org.k5spark.jobs.spark.items.PayloadDigest.of(p, conf));
    }
    StringBuilder joined = new StringBuilder();
    files.forEach((k, v) -> joined.append(k).append('=').append(v).append('\n'));
    return "sha256:" + org.k5spark.jobs.spark.items.PayloadDigest.of(
        joined.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static Map<String, EvalRecord> readParts(EvalLayout layout, Configuration conf) throws IOException {
    return EvalWork.parts(layout).readAll(conf);
  }

  private static String qualify(String location, Configuration conf) throws IOException {
    if (location == null || location.isBlank()) {
      return null;
    }
    Path p = new Path(location);
    FileSystem fs = p.getFileSystem(conf);
    return fs.makeQualified(p).toString();
  }
}
