package org.k5spark.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.compare.CompareRuns;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.flow.FarnebackFlow;
import org.k5spark.eval.flow.FlowWarpInterpolator;
import org.k5spark.eval.metrics.MetricSet;
import org.k5spark.eval.metrics.ModelMetrics;
import org.k5spark.eval.stats.Group;
import org.k5spark.jobs.generate.GenerateConfig;
import org.k5spark.jobs.generate.GenerateVideosJob;
import org.k5spark.jobs.generate.PromptReader;
import org.k5spark.jobs.generate.PromptSelection;
import org.k5spark.jobs.generate.Sampling;
import org.k5spark.jobs.testing.PatternTextToVideo;
import org.k5spark.jobs.testing.SharedSpark;

/**
 * local[2] over a small generated run (pattern model: a white square moving 4 px per frame over a flat
 * colour): every video scored, a deleted and a corrupted video recorded with reasons, resume, and the
 * CSV read back by MetricsCsv and CompareRuns.
 */
class EvaluateVideosJobTest {
  @TempDir Path tmp;

  static final String PROMPTS = """
      prompt,concept,motion_level
      "a red fox runs",animal,high
      "a quiet lake, at dawn",scenery,low
      "a chef cooks",human - activity,medium
      "a cat on a car","animal, vehicles",high
      "<script>alert(1)</script> dancing",human - activity,medium
      ,animal,low
      """;

  /** Generates a 5-video run (+1 rejected row) with the pattern model; returns the run dir. */
  static Path generate(Path root, String runId, long baseSeed) throws Exception {
    return generate(root, runId, baseSeed, false);
  }

  static Path generate(Path root, String runId, long baseSeed, boolean magCache) throws Exception {
    Path csv = root.resolve("prompts.csv");
    if (!Files.exists(csv)) {
      Files.writeString(csv, PROMPTS);
    }
    Path model = Path.of(EvaluateVideosJobTest.class.getResource("/fake-model.properties").toURI());
    PromptReader.Options d = PromptReader.Options.defaults();
    PromptReader.Options opts = new PromptReader.Options(d.promptColumn(), d.expandedColumn(), d.useExpanded(),
        d.conceptColumn(), d.motionColumn(), d.maxChars(), baseSeed);
    GenerateConfig cfg = new GenerateConfig(List.of(csv.toString()), root.resolve("out").toString(), runId,
        model.toString(), null, PatternTextToVideo.Factory.class.getName(), GenerateConfig.DEFAULT_ENCODER, opts,
        PromptSelection.all(), new Sampling(null, null, null, null, null, null, magCache), 2, 0.5, false, 200);
    GenerateVideosJob.run(SharedSpark.get(), cfg);
    return root.resolve("out").resolve(runId);
  }

  private static Map<String, Long> partTimes(Path run) throws Exception {
    try (Stream<Path> s = Files.list(run.resolve("eval").resolve("parts"))) {
      return s.collect(Collectors.toMap(Path::toString, p -> p.toFile().lastModified()));
    }
  }

  private static List<CSVRecord> csv(Path file) throws Exception {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
    }
  }

  @Test
  void scoresEveryVideoRecordsBrokenOnesAndResumes() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path run = generate(tmp, "runA", 42);
    List<CSVRecord> manifest = csv(run.resolve("manifest.csv"));
    List<String> ids = manifest.stream().map(r -> r.get("prompt_id")).filter(s -> !s.isEmpty()).toList();
    assertEquals(5, ids.size());
    String missingId = ids.get(1);
    String corruptId = ids.get(2);
    Files.delete(run.resolve("videos").resolve(missingId + ".mp4"));
    Files.write(run.resolve("videos").resolve(corruptId + ".mp4"), "this is not an mp4 file at all".getBytes());

    EvaluateVideosJob.Summary s = EvaluateVideosJob.run(spark, EvaluateConfig.of(run.toString()));
    assertEquals(3, s.ok());
    assertEquals(1, s.missing());
    assertEquals(1, s.corrupt());
    assertEquals(0, s.errors());
    assertEquals(5, s.scored());
    assertEquals(0, s.skipped());

    // the per-video CSV is the compare contract
    RunTable table = MetricsCsv.read(run.resolve("eval").resolve("metrics.csv"), null);
    assertEquals("runA", table.runId());
    assertEquals(5, table.videos().size(), "one row per distinct prompt; the rejected row has no video");
    assertEquals("fake-pattern", table.config().get("model_variant"));
    assertEquals("farneback", table.config().get("estimator.dynamic_degree"));
    assertEquals("false", table.config().get("magcache"), "the run's settings reach the compare/report tables");
    Map<String, CSVRecord> rows = csv(run.resolve("eval").resolve("metrics.csv")).stream()
        .collect(Collectors.toMap(r -> r.get("prompt_id"), r -> r));
    assertEquals("missing", rows.get(missingId).get("status"));
    assertTrue(rows.get(missingId).get("error").contains("video not found"), rows.get(missingId).get("error"));
    assertEquals("corrupt", rows.get(corruptId).get("status"));
    assertTrue(rows.get(corruptId).get("error").contains(corruptId + ".mp4"), rows.get(corruptId).get("error"));
    assertEquals("", rows.get(corruptId).get("metric.temporal_flickering"));
    for (VideoScore v : table.videos()) {
      assertNotNull(v.seed());
      assertNotNull(v.gpuSeconds(), "generation compute time from the manifest timings");
      if (!v.ok()) {
        continue;
      }
      // a square moving 4 px/frame: dynamic
      assertEquals(1.0, v.metric("dynamic_degree"), v.promptId());
      // the row holds this prompt's own video's values: flicker recomputed here from the decoded file by VBench's
      // formula, motion_smoothness by the same estimators run outside Spark (their values are proven in eval)
      VideoFrames frames = new Mp4Reader().read(run.resolve("videos").resolve(v.promptId() + ".mp4")).frames();
      assertEquals(vbenchFlicker(frames), v.metric("temporal_flickering"), 1e-9, v.promptId());
      assertEquals(((Number) direct(frames, ModelMetrics.none()).get("motion_smoothness").value()).doubleValue(),
          v.metric("motion_smoothness"), 1e-9, v.promptId());
      assertNull(v.metric("subject_consistency"), "no weights: not computed, empty cell");
      assertTrue(v.metrics().containsKey("subject_consistency"));
    }
    VideoScore cat = table.videos().stream().filter(v -> v.prompt().equals("a cat on a car")).findFirst().orElseThrow();
    assertEquals(List.of("animal", "vehicles"), cat.concepts());
    assertEquals("high", cat.motionLevel());
    assertTrue(table.videos().stream().anyMatch(v -> v.prompt().startsWith("<script>")), "prompt text kept verbatim");

    // aggregates: overall, each concept label, each motion level, with bootstrap CIs
    List<CSVRecord> agg = csv(run.resolve("eval").resolve("aggregates.csv"));
    CSVRecord overall = agg.stream().filter(r -> r.get("metric").equals("temporal_flickering")
        && r.get("group_kind").equals("overall")).findFirst().orElseThrow();
    List<VideoScore> ok = table.videos().stream().filter(VideoScore::ok).toList();
    assertEquals(ok.size(), Integer.parseInt(overall.get("n")));
    double mean = ok.stream().mapToDouble(v -> v.metric("temporal_flickering")).average().orElseThrow();
    assertEquals(mean, Double.parseDouble(overall.get("mean")), 1e-12);
    assertTrue(Double.parseDouble(overall.get("ci_lower")) <= mean && mean <= Double.parseDouble(overall.get("ci_upper")));
    long animalVideos = ok.stream().filter(v -> v.concepts().contains("animal")).count();
    CSVRecord animal = agg.stream().filter(r -> r.get("metric").equals("temporal_flickering")
        && r.get("group").equals("animal")).findFirst().orElseThrow();
    assertEquals(animalVideos, Long.parseLong(animal.get("n")), "a video counts for each of its labels");
    assertTrue(agg.stream().anyMatch(r -> r.get("group_kind").equals("motion") && r.get("group").equals("high")));
    assertTrue(agg.stream().anyMatch(r -> r.get("metric").equals("gpu_seconds")));
    assertEquals(5, spark.read().parquet(run.resolve("eval").resolve("metrics.parquet").toString()).count());
    assertTrue(spark.read().parquet(run.resolve("eval").resolve("aggregates.parquet").toString()).count() >= agg.size());
    assertFalse(Files.exists(run.resolve("eval").resolve("_tmp")));

    // a second run scores nothing and rewrites no part
    Map<String, Long> before = partTimes(run);
    assertEquals(5, before.size());
    Thread.sleep(20);
    EvaluateVideosJob.Summary again = EvaluateVideosJob.run(spark, EvaluateConfig.of(run.toString()));
    assertEquals(0, again.scored());
    assertEquals(5, again.skipped());
    assertEquals(before, partTimes(run));

    // CompareRuns pairs it with a second run over the same prompts
    Path runB = generate(tmp, "runB", 7, true);
    EvaluateVideosJob.run(spark, EvaluateConfig.of(runB.toString()));
    RunTable b = MetricsCsv.read(runB.resolve("eval").resolve("metrics.csv"), null);
    assertEquals("true", b.config().get("magcache"), "--magcache is in the manifest and the metrics table");
    Comparison c = CompareRuns.defaults().compare(List.of(table, b), List.of());
    assertEquals(5, c.pairs().get(0).prompts().size());
    assertEquals(3, c.pairs().get(0).row("temporal_flickering", Group.OVERALL).n(),
        "prompts whose A video is missing/corrupt are left out of the paired metric");
  }

  @Test
  void modelBasedMetricsComeFromTheWeightsDirectoryOnePerExecutor() throws Exception {
    Path run = generate(tmp, "runW", 42);
    Path weightsDir = Files.createDirectories(tmp.resolve("metric-weights"));
    // eval's tiny random CLIP vision tower (eval/src/test/resources/vit), as the background_consistency model
    Files.copy(Path.of("..", "eval", "src", "test", "resources", "vit", "clip_tiny.safetensors"),
        weightsDir.resolve(org.k5spark.eval.metrics.ModelMetrics.CLIP_B32));
    EvaluateConfig cfg = new EvaluateConfig(run.toString(), weightsDir.toString(), "cpu", 2, 200, 1L, 0.95);
    EvaluateVideosJob.Summary s = EvaluateVideosJob.run(SharedSpark.get(), cfg);
    assertEquals(5, s.ok());
    RunTable table = MetricsCsv.read(run.resolve("eval").resolve("metrics.csv"), null);
    assertEquals("metric-weights", table.config().get("eval_weights"));
    assertEquals("clip_vitb32", table.config().get("estimator.background_consistency"));
    for (VideoScore v : table.videos()) {
      Double bg = v.metric("background_consistency");
      assertNotNull(bg, "computed with the weights");
      // the job's value for this video equals the CLIP metric run on the same decoded file outside Spark
      // (ModelMetricsTest proves that metric against the NumPy tower)
      VideoFrames frames = new Mp4Reader().read(run.resolve("videos").resolve(v.promptId() + ".mp4")).frames();
      try (ModelMetrics direct = ModelMetrics.create(weightsDir, TorchRuntime.device("cpu"))) {
        assertEquals(((Number) direct(frames, direct).get("background_consistency").value()).doubleValue(), bg, 1e-9, v.promptId());
      }
      assertNull(v.metric("subject_consistency"), "no DINO file: still not computed");
    }
    // one metric set (one copy of the weights) for both task slots of this executor
    String qualified = org.apache.hadoop.fs.FileSystem.getLocal(SharedSpark.get().sparkContext().hadoopConfiguration())
        .makeQualified(new org.apache.hadoop.fs.Path(weightsDir.toString())).toString();
    assertEquals(1, EvalWork.MODELS.built(new EvalWork.Key(qualified, "cpu")));
  }

  @Test
  void theCommandFailsWithAClearMessageWithoutAManifest() throws Exception {
    SharedSpark.get();
    Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
    java.io.StringWriter err = new java.io.StringWriter();
    int rc = new picocli.CommandLine(new EvaluateCommand()).setErr(new java.io.PrintWriter(err))
        .execute("--run", empty.toString());
    assertEquals(1, rc);
    assertTrue(err.toString().contains("no manifest in") && err.toString().contains("not-a-run"), err.toString());
  }

  @Test
  void manifestColumnsExistInTheGenerateManifest() {
    assertTrue(ManifestInput.matchesManifest());
  }

  /** VBench's temporal_flickering, written out: (255 - mean over consecutive frame pairs of the MAE) / 255. */
  private static double vbenchFlicker(VideoFrames v) {
    byte[] rgb = v.rgb();
    int n = v.frameBytes();
    double sum = 0;
    for (int f = 0; f + 1 < v.frames(); f++) {
      long abs = 0;
      for (int i = 0; i < n; i++) {
        abs += Math.abs((rgb[f * n + i] & 0xFF) - (rgb[(f + 1) * n + i] & 0xFF));
      }
      sum += (double) abs / n;
    }
    return (255.0 - sum / (v.frames() - 1)) / 255.0;
  }

  /** The evaluate job's metric set (EvalWork's estimators), run on one decoded video outside Spark. */
  private static Map<String, org.k5spark.eval.metrics.MetricResult> direct(VideoFrames v, ModelMetrics models) {
    return MetricSet.with(new FarnebackFlow(), new FlowWarpInterpolator(new FarnebackFlow()), models).run(v, "");
  }
}
