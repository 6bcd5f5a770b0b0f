package org.k5spark.jobs.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.jobs.spark.FsCommit;
import org.k5spark.jobs.spark.HadoopConf;
import org.k5spark.jobs.spark.PartFiles;
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

  /** What a run of the job did. {@code scored} counts videos scored by this invocation. */
  public record Summary(String runId, int videos, int ok, int missing, int corrupt, int errors, int generationFailed,
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
    Map<String, EvalRecord> before = readParts(layout, conf);
    List<EvalItem> todo = new ArrayList<>();
    for (EvalItem item : generated) {
      EvalRecord done = before.get(item.promptId());
      if (done == null || !done.settled() || done.videoBytes() != EvalTask.videoBytes(item.videoPath(), conf)) {
        todo.add(item);
      }
    }
    int skipped = generated.size() - todo.size();
    LOG.info("[{}] {} prompts in the manifest, {} generated, {} already scored, {} to score", runId,
        manifest.items().size(), generated.size(), skipped, todo.size());

    int scored = 0;
    if (!todo.isEmpty()) {
      int parts = cfg.partitions() > 0 ? cfg.partitions() : 2 * jsc.defaultParallelism();
      // every video of a run has the same shape, hence the same cost: deal them out round-robin
      List<List<EvalItem>> buckets = new ArrayList<>();
      for (int i = 0; i < Math.min(parts, todo.size()); i++) {
        buckets.add(new ArrayList<>());
      }
      for (int i = 0; i < todo.size(); i++) {
        buckets.get(i % buckets.size()).add(todo.get(i));
      }
      long start = System.currentTimeMillis();
      jsc.setJobDescription("k5 evaluate " + runId + ": " + todo.size() + " videos in " + buckets.size() + " partitions");
      scored = (int) jsc.parallelize(buckets, buckets.size()).mapPartitions(new EvalTask(cfg, new HadoopConf(conf)))
          .filter(r -> r.finishedAtMs() >= start).count();
    }

    jsc.setJobDescription("k5 evaluate " + runId + ": tables");
    Map<String, EvalRecord> after = readParts(layout, conf);
    MetricsTable table = new MetricsTable(runId, withEvalConfig(manifest.runConfig(), cfg, after), manifest.items(), after);
    FsCommit.commitBytes(table.toCsv(), layout.metricsCsv(), layout.tmp(), conf);
    table.toDataFrame(spark).coalesce(1).write().mode(SaveMode.Overwrite).parquet(layout.metricsParquet().toString());
    RunTable run = table.runTable();
    List<Aggregates.Line> agg = Aggregates.compute(run, table.metricNames(),
        new Bootstrap(cfg.resamples(), cfg.seed(), cfg.level()));
    FsCommit.commitBytes(Aggregates.toCsv(agg), layout.aggregatesCsv(), layout.tmp(), conf);
    Aggregates.toDataFrame(spark, agg).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(layout.aggregatesParquet().toString());

    Map<String, Integer> counts = new HashMap<>();
    for (EvalItem item : generated) {
      EvalRecord r = after.get(item.promptId());
      counts.merge(r == null ? EvalRecord.ERROR : r.status(), 1, Integer::sum);
    }
    Summary s = new Summary(runId, manifest.items().size(), counts.getOrDefault(EvalRecord.OK, 0),
        counts.getOrDefault(EvalRecord.MISSING, 0), counts.getOrDefault(EvalRecord.CORRUPT, 0),
        counts.getOrDefault(EvalRecord.ERROR, 0), manifest.items().size() - generated.size(), skipped, scored,
        layout.metricsCsv().toString());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("summary", s);
    json.put("config", cfg);
    json.put("metrics", table.metricNames());
    FsCommit.commitBytes(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json),
        layout.summaryJson(), layout.tmp(), conf);
    layout.tmp().getFileSystem(conf).delete(layout.tmp(), true);
    LOG.info("[{}] evaluated: {}", runId, s);
    return s;
  }

  /** The generation run's config plus how it was scored: the estimator of each metric (equal on every row). */
  private static Map<String, String> withEvalConfig(Map<String, String> runConfig, EvaluateConfig cfg,
      Map<String, EvalRecord> parts) {
    Map<String, String> c = new LinkedHashMap<>(runConfig);
    parts.values().stream().filter(EvalRecord::ok).findFirst().ifPresent(r -> r.estimators().forEach((m, e) ->
        c.put("estimator." + m, e)));
    c.put("eval_weights", cfg.weightsDir() == null ? "none" : new Path(cfg.weightsDir()).getName());
    return c;
  }

  static Map<String, EvalRecord> readParts(EvalLayout layout, Configuration conf) throws IOException {
    return PartFiles.readAll(layout.parts(), conf, EvalRecord::fromJson, EvalRecord::promptId);
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
