package org.k5spark.jobs.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.k5spark.eval.store.FsCommit;
import org.k5spark.jobs.spark.HadoopConf;
import org.k5spark.jobs.spark.ModelFiles;
import org.k5spark.jobs.spark.items.ItemJob;
import org.k5spark.jobs.spark.items.ItemTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generate job, the same on local[*], standalone, YARN and Kubernetes, an {@link ItemJob} over prompts: read
 * and validate prompts and check what concerns every prompt on the driver ({@link Preflight}); set up the job by
 * listing the committed parts; run the prompts in batches on the executors ({@link PromptWork}), each committing
 * its video then its part; commit the job by assembling the manifest from the parts. The manifest and a final
 * run.json state ({@code done}, {@code failed}, {@code aborted} with the reason) are written however the stage
 * ended.
 */
public final class GenerateVideosJob {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateVideosJob.class);

  public static final String DONE = "done";
  public static final String FAILED = "failed";
  public static final String ABORTED = "aborted";

  private GenerateVideosJob() {}

  public static RunSummary run(SparkSession spark, GenerateConfig requested) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    validate(requested);
    // executors do not share the driver's working directory: resolve relative locations here
    GenerateConfig cfg = requested.withLocations(qualify(requested.out(), conf), qualifyModel(requested.modelConfig(), conf),
        qualify(requested.weightsRoot(), conf));
    RunLayout layout = cfg.layout();
    jsc.setJobDescription("k5 generate " + cfg.runId() + ": read prompts");
    List<RunCard.PromptFile> files = new ArrayList<>();
    List<PromptRecord> inputs = cfg.selection().apply(readPrompts(cfg, conf, files));
    Preflight.run(cfg, conf);
    org.k5spark.core.config.ModelConfig model = GenerateConfig.DEFAULT_FACTORY.equals(cfg.factoryClass())
        ? Preflight.model(cfg, conf) : null;
    FileSystem fs = layout.runDir().getFileSystem(conf);
    fs.delete(layout.tmp(), true); // what a killed run left mid-commit
    Map<String, PromptRecord> distinct = new LinkedHashMap<>();
    for (PromptRecord p : inputs) {
      if (p.accepted()) {
        distinct.putIfAbsent(p.promptId(), p);
      }
    }
    long startMs = System.currentTimeMillis();
    writeRunJson(spark, cfg, conf, Map.of("state", "running"),
        RunCard.protocol(cfg, files, distinct.size(), model, List.of()));

    int k = cfg.sampling().samplesPerPrompt();
    List<PromptSample> items = new ArrayList<>();
    for (PromptRecord p : distinct.values()) {
      items.addAll(PromptSample.of(p, k));
    }

    // set up the job: one listing of what is committed; the executors verify each video's checksum
    PromptWork work = new PromptWork(cfg);
    Map<String, PartRecord> before = work.parts().readAll(conf);
    Set<String> pending = new HashSet<>();
    for (PromptSample item : items) {
      PartRecord r = before.get(item.sampleId());
      if (r == null || !r.ok()) {
        pending.add(item.sampleId());
      }
    }
    LOG.info("[{}] {} input rows, {} distinct prompts x {} samples, {} committed earlier (checked on the executors),"
        + " {} to generate", cfg.runId(), inputs.size(), distinct.size(), k, items.size() - pending.size(),
        pending.size());

    ItemJob.StageResult stage;
    int parts = cfg.partitions() > 0 ? cfg.partitions() : 2 * jsc.defaultParallelism();
    List<List<PromptSample>> buckets = ItemJob.buckets(items, parts);
    try (ProgressMonitor progress = new ProgressMonitor(layout, conf, pending, cfg.progressIntervalMs())) {
      stage = ItemJob.runStage(jsc, "k5 generate " + cfg.runId() + ": " + items.size() + " videos in "
          + buckets.size() + " partitions, batches of " + cfg.batchSize(), buckets,
          new ItemTask<>(work, cfg.batchSize(), new HadoopConf(conf)));
    }

    // commit the job: the manifest from the parts, whatever the stage did
    jsc.setJobDescription("k5 generate " + cfg.runId() + ": manifest");
    Map<String, PartRecord> after = work.parts().readAll(conf);
    List<ManifestRow> rows = Manifest.assemble(cfg.runId(), inputs, k, after);
    ItemJob.commitTable(Manifest.toCsv(rows), layout.manifestCsv(), Manifest.toDataFrame(spark, rows),
        layout.manifestParquet(), layout.tmp(), conf);

    int ok = 0;
    int failed = 0;
    int reused = 0;
    int generated = 0;
    for (PromptSample item : items) {
      PartRecord r = after.get(item.sampleId());
      boolean thisRun = r != null && r.finishedAtMs() >= startMs;
      if (r != null && r.ok()) {
        ok++;
      } else {
        failed++;
      }
      if (thisRun) {
        generated++;
      } else if (r != null && r.ok()) {
        reused++;
      }
    }
    int rejected = (int) inputs.stream().filter(p -> !p.accepted()).count();
    double failedFraction = items.isEmpty() ? 0 : (double) failed / items.size();
    String state = stage.aborted() ? ABORTED : failedFraction > cfg.maxFailedFraction() ? FAILED : DONE;
    RunSummary summary = new RunSummary(inputs.size(), rejected, distinct.size(), k, ok, failed, reused, generated,
        failedFraction, layout.manifestCsv().toString(), state, stage.abortReason());
    Map<String, Object> s = new LinkedHashMap<>(summary.asMap());
    s.put("executors", batchesByExecutor(after.values(), startMs));
    writeRunJson(spark, cfg, conf, s, RunCard.protocol(cfg, files, distinct.size(), model, after.values()));
    fs.delete(layout.tmp(), true);
    LOG.info("[{}] {}: {} ok, {} failed, {} rejected, {} kept from earlier runs; manifest {}", cfg.runId(), state, ok,
        failed, rejected, reused, layout.manifestCsv());
    return summary;
  }

  /**
   * Per executor, over this invocation's parts: batches run, text-encoder placements (one per batch when the
   * pipeline encodes a batch together) and prompts per batch.
   */
  static Map<String, Map<String, Object>> batchesByExecutor(Iterable<PartRecord> parts, long sinceMs) {
    Map<String, Map<String, PartRecord>> batches = new TreeMap<>();
    for (PartRecord r : parts) {
      if (r.finishedAtMs() >= sinceMs && r.batchId() != null) {
        batches.computeIfAbsent(r.executorId(), e -> new TreeMap<>()).putIfAbsent(r.batchId(), r);
      }
    }
    Map<String, Map<String, Object>> out = new TreeMap<>();
    batches.forEach((executor, byBatch) -> {
      int prompts = byBatch.values().stream().mapToInt(PartRecord::batchSize).sum();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("batches", byBatch.size());
      m.put("text_encoder_placements", byBatch.values().stream().mapToInt(PartRecord::encoderPlacements).sum());
      m.put("prompts", prompts);
      m.put("prompts_per_batch", (double) prompts / byBatch.size());
      out.put(executor, m);
    });
    return out;
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

  static List<PromptRecord> readPrompts(GenerateConfig cfg, Configuration conf, List<RunCard.PromptFile> files)
      throws IOException {
    List<PromptRecord> all = new ArrayList<>();
    for (String csv : cfg.prompts()) {
      Path p = new Path(csv);
      FileSystem fs = p.getFileSystem(conf);
      long len;
      try {
        len = fs.getFileStatus(p).getLen();
      } catch (java.io.FileNotFoundException e) {
        throw new org.k5spark.jobs.spark.items.JobRefusal(csv + ": no such prompt file");
      }
      if (len > 512L << 20) {
        throw new IllegalArgumentException(csv + ": " + len + " bytes; prompt CSVs over 512 MiB are not supported");
      }
      try (var in = fs.open(p)) {
        byte[] bytes = in.readAllBytes();
        List<PromptRecord> rows = PromptSuites.read(cfg.readerOptions(), csv, bytes);
        files.add(new RunCard.PromptFile(csv, "sha256:" + java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(bytes)), rows.size(), PromptSuites.format(csv)));
        all.addAll(rows);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return all;
  }

  /** Every committed part of a run. */
  static Map<String, PartRecord> readParts(RunLayout layout, Configuration conf) throws IOException {
    return PromptWork.parts(layout).readAll(conf);
  }

  private static void writeRunJson(SparkSession spark, GenerateConfig cfg, Configuration conf, Map<String, Object> summary,
      Map<String, Object> protocol) throws IOException {
    byte[] json = RunInfo.toJson(cfg, spark.sparkContext().getConf(), spark.version(),
        spark.sparkContext().applicationId(), summary, protocol);
    FsCommit.commitBytes(json, cfg.layout().runJson(), cfg.layout().tmp(), conf);
  }
}
