package org.k5spark.jobs.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.jobs.spark.FsCommit;
import org.k5spark.jobs.spark.HadoopConf;
import org.k5spark.jobs.spark.ModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generate job, the same on local[*], standalone, YARN and Kubernetes: read and validate prompts
 * on the driver, skip what an earlier run already committed, spread the rest over cost-balanced
 * partitions whose tasks generate on their assigned GPU (or CPU), then assemble the manifest from the
 * committed part files.
 */
public final class GenerateVideosJob {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateVideosJob.class);

  private GenerateVideosJob() {}

  public static RunSummary run(SparkSession spark, GenerateConfig requested) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    validate(requested);
    // executors do not share the driver's working directory: resolve relative locations here
    GenerateConfig cfg = requested.withLocations(qualify(requested.out(), conf), qualifyModel(requested.modelConfig(), conf),
        qualify(requested.weightsRoot(), conf));
    requireMagRatios(cfg, conf);
    RunLayout layout = cfg.layout();

    jsc.setJobDescription("k5 generate " + cfg.runId() + ": read prompts");
    List<PromptRecord> inputs = cfg.selection().apply(readPrompts(cfg, conf));
    Map<String, PromptRecord> distinct = new LinkedHashMap<>();
    for (PromptRecord p : inputs) {
      if (p.accepted()) {
        distinct.putIfAbsent(p.promptId(), p);
      }
    }
    FileSystem fs = layout.runDir().getFileSystem(conf);
    fs.mkdirs(layout.runDir());
    writeRunJson(spark, cfg, conf, Map.of("state", "running"));

    // done = an ok part whose video exists with the recorded size (one listing, not a request per prompt)
    Map<String, PartRecord> before = readParts(layout, conf);
    Map<String, Long> videoSizes = new HashMap<>();
    if (fs.exists(layout.videos())) {
      for (FileStatus st : fs.listStatus(layout.videos())) {
        videoSizes.put(st.getPath().getName(), st.getLen());
      }
    }
    List<PromptRecord> todo = new ArrayList<>();
    for (PromptRecord p : distinct.values()) {
      PartRecord done = before.get(p.promptId());
      Long size = videoSizes.get(p.promptId() + ".mp4");
      if (done == null || !done.ok() || size == null || size <= 0 || size != done.videoBytes()) {
        todo.add(p);
      }
    }
    int skipped = distinct.size() - todo.size();
    LOG.info("[{}] {} input rows, {} distinct prompts, {} already done, {} to generate", cfg.runId(), inputs.size(),
        distinct.size(), skipped, todo.size());

    RuntimeException jobError = null;
    int generated = 0;
    long startMs = System.currentTimeMillis();
    if (!todo.isEmpty()) {
      int parts = cfg.partitions() > 0 ? cfg.partitions() : 2 * jsc.defaultParallelism();
      List<List<PromptRecord>> buckets = CostBalancer.balance(todo, parts, cfg::cost);
      jsc.setJobDescription("k5 generate " + cfg.runId() + ": " + todo.size() + " videos in " + buckets.size() + " partitions");
      java.util.Set<String> pending = new java.util.HashSet<>();
      todo.forEach(p -> pending.add(p.promptId()));
      try (ProgressMonitor progress = new ProgressMonitor(layout, conf, pending, cfg.progressIntervalMs())) {
        generated = (int) jsc.parallelize(buckets, buckets.size())
            .mapPartitions(new PromptTask(cfg, new HadoopConf(conf)))
            .filter(r -> r.finishedAtMs() >= startMs)
            .count();
      } catch (RuntimeException e) {
        // keep going: the manifest still records what was committed, missing prompts become failed rows
        LOG.error("[{}] generate stage failed: {}", cfg.runId(), e.toString());
        jobError = e;
      }
    }

    jsc.setJobDescription("k5 generate " + cfg.runId() + ": manifest");
    Map<String, PartRecord> after = readParts(layout, conf);
    List<ManifestRow> rows = Manifest.assemble(cfg.runId(), inputs, after);
    FsCommit.commitBytes(Manifest.toCsv(rows), layout.manifestCsv(), layout.tmp(), conf);
    Manifest.toDataFrame(spark, rows).coalesce(1).write().mode(SaveMode.Overwrite).parquet(layout.manifestParquet().toString());

    int ok = 0;
    int failed = 0;
    for (PromptRecord p : distinct.values()) {
      PartRecord r = after.get(p.promptId());
      if (r != null && r.ok()) {
        ok++;
      } else {
        failed++;
      }
    }
    int rejected = (int) inputs.stream().filter(p -> !p.accepted()).count();
    double failedFraction = distinct.isEmpty() ? 0 : (double) failed / distinct.size();
    RunSummary summary = new RunSummary(inputs.size(), rejected, distinct.size(), ok, failed, skipped,
        generated, failedFraction, layout.manifestCsv().toString());
    Map<String, Object> s = new LinkedHashMap<>(summary.asMap());
    s.put("state", jobError == null ? "finished" : "generate stage failed: " + jobError);
    writeRunJson(spark, cfg, conf, s);
    fs.delete(layout.tmp(), true);
    LOG.info("[{}] done: {} ok, {} failed, {} rejected, {} skipped (already done); manifest {}", cfg.runId(), ok, failed,
        rejected, skipped, layout.manifestCsv());
    return summary;
  }

  /** An embedded config name ("tiny", "sft_5s") is not a path: it stays as it is. */
  private static String qualifyModel(String location, Configuration conf) throws IOException {
    return ModelFiles.isEmbeddedConfigName(location) ? location : qualify(location, conf);
  }

  private static String qualify(String location, Configuration conf) throws IOException {
    if (location == null || location.isBlank()) {
      return location;
    }
    Path p = new Path(location);
    return p.getFileSystem(conf).makeQualified(p).toString();
  }

  /** Checks that need no Spark: plugin classes exist and are of the right kind. */
  public static void validate(GenerateConfig cfg) {
    requireClass(cfg.factoryClass(), org.k5spark.core.pipeline.TextToVideoFactory.class, "--factory");
    requireClass(cfg.encoderClass(), VideoEncoder.class, "--encoder");
  }

  /**
   * --magcache with a model config that has no magcache.mag_ratios would fail every prompt on the executors;
   * fail once on the driver instead. Only the built-in pipeline reads those ratios.
   */
  static void requireMagRatios(GenerateConfig cfg, Configuration conf) throws IOException {
    if (!cfg.sampling().magCache() || !GenerateConfig.DEFAULT_FACTORY.equals(cfg.factoryClass())) {
      return;
    }
    ModelConfig model;
    if (ModelFiles.isEmbeddedConfigName(cfg.modelConfig())) {
      model = ModelConfig.embedded(cfg.modelConfig());
    } else {
      Path p = new Path(cfg.modelConfig());
      try (var in = p.getFileSystem(conf).open(p)) {
        model = ModelConfig.parse(in, cfg.modelConfig());
      }
    }
    if (model.magRatios().length == 0) {
      throw new IllegalArgumentException("--magcache: " + cfg.modelConfig() + " has no magcache.mag_ratios for variant "
          + model.variant() + " (calibrate them with `k5 magcache-calibrate`)");
    }
  }

  /** Fail on the driver, before any task starts, when a plugin class is missing or of the wrong kind. */
  private static void requireClass(String name, Class<?> kind, String option) {
    try {
      Class<?> c = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
      if (!kind.isAssignableFrom(c)) {
        throw new IllegalArgumentException(option + " " + name + " does not implement " + kind.getName());
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(option + " " + name + " is not on the classpath (the app jar or --jars)", e);
    }
  }

  static List<PromptRecord> readPrompts(GenerateConfig cfg, Configuration conf) throws IOException {
    PromptReader reader = new PromptReader(cfg.readerOptions());
    List<PromptRecord> all = new ArrayList<>();
    for (String csv : cfg.prompts()) {
      Path p = new Path(csv);
      FileSystem fs = p.getFileSystem(conf);
      long len = fs.getFileStatus(p).getLen();
      if (len > 512L << 20) {
        throw new IllegalArgumentException(csv + ": " + len + " bytes; prompt CSVs over 512 MiB are not supported");
      }
      try (var in = fs.open(p)) {
        all.addAll(reader.read(csv, in.readAllBytes()));
      }
    }
    return all;
  }

  /** Every committed part (read in parallel: an object store answers each GET in tens of ms). */
  static Map<String, PartRecord> readParts(RunLayout layout, Configuration conf) throws IOException {
    return org.k5spark.jobs.spark.PartFiles.readAll(layout.parts(), conf, PartRecord::fromJson, PartRecord::promptId);
  }

  private static void writeRunJson(SparkSession spark, GenerateConfig cfg, Configuration conf, Map<String, Object> summary)
      throws IOException {
    byte[] json = RunInfo.toJson(cfg, spark.sparkContext().getConf(), spark.version(),
        spark.sparkContext().applicationId(), summary);
    FsCommit.commitBytes(json, cfg.layout().runJson(), cfg.layout().tmp(), conf);
  }
}
