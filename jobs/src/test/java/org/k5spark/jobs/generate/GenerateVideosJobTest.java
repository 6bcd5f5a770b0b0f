package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.jobs.testing.PatternTextToVideo;
import org.k5spark.jobs.testing.SharedSpark;

/** End to end on local[2] with the pattern model: videos, manifest, resume, broken input, failures. */
class GenerateVideosJobTest {
  @TempDir Path tmp;

  private static Map<String, Long> mtimes(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().contains("/videos/") || p.toString().contains("/parts/"))
          .collect(Collectors.toMap(Path::toString, p -> p.toFile().lastModified()));
    }
  }

  @Test
  void generatesEveryPromptThenResumesWithoutRewriting() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path out = tmp.resolve("out");
    String model = JobFixtures.resource("fake-model.properties").toString();
    String csv = Path.of("..", "configs", "prompts", "sample.csv").toAbsolutePath().normalize().toString();
    GenerateConfig cfg = JobFixtures.config(List.of(csv), out.toString(), "run1", model, 0);

    RunSummary first = GenerateVideosJob.run(spark, cfg);
    assertEquals(16, first.inputRows());
    assertEquals(16, first.ok());
    assertEquals(16, first.generated());
    assertEquals(0, first.failed());

    FileSystem fs = FileSystem.getLocal(JobFixtures.conf());
    List<CSVRecord> rows = JobFixtures.manifest(fs, cfg.layout().manifestCsv());
    assertEquals(16, rows.size());
    assertTrue(rows.get(0).toMap().keySet().containsAll(List.of("prompt_id", "seed", "status", "denoise_ms", "encode_ms",
        "upload_ms", "gpu", "executor_id", "attempt", "checkpoint_digest", "config_digest", "source_line")));
    for (CSVRecord r : rows) {
      assertEquals("ok", r.get("status"), r.toString());
      assertEquals("fake-pattern", r.get("model_variant"));
      assertEquals("8", r.get("frames"));
      assertEquals("", r.get("gpu"), "local[*] has no GPU resource: CPU");
      Path video = out.resolve("run1").resolve("videos").resolve(r.get("prompt_id") + ".mp4");
      assertEquals(video.toUri().getPath(), new org.apache.hadoop.fs.Path(r.get("video_path")).toUri().getPath());
      assertEquals(Files.size(video), Long.parseLong(r.get("video_bytes")));
      assertTrue(Double.parseDouble(r.get("encode_ms")) > 0);
      JobFixtures.assertVideo(fs, new org.apache.hadoop.fs.Path(video.toUri()), Long.parseLong(r.get("seed")), 8);
    }
    assertEquals(16, spark.read().parquet(cfg.layout().manifestParquet().toString()).where("status = 'ok'").count());
    assertFalse(Files.exists(out.resolve("run1").resolve("_tmp")), "temporary dir removed");
    String runJson = Files.readString(out.resolve("run1").resolve("run.json"));
    assertTrue(runJson.contains("\"generated_this_run\" : 16"), runJson);
    // one pipeline for the whole run in this JVM (both task slots share the CPU entry)
    assertEquals(1, rows.stream().map(r -> r.get("pipeline_instance")).distinct().count());

    Map<String, Long> before = mtimes(out);
    assertEquals(32, before.size());
    Thread.sleep(20);
    RunSummary second = GenerateVideosJob.run(spark, cfg);
    assertEquals(0, second.generated());
    assertEquals(16, second.skipped());
    assertEquals(16, second.ok());
    assertEquals(before, mtimes(out), "a second run rewrites no video and no part");
    assertEquals(16, JobFixtures.manifest(fs, cfg.layout().manifestCsv()).size());

    // a lost video (e.g. deleted by hand) is regenerated, nothing else
    String lost = rows.get(3).get("prompt_id");
    Files.delete(out.resolve("run1/videos/" + lost + ".mp4"));
    RunSummary third = GenerateVideosJob.run(spark, cfg);
    assertEquals(1, third.generated());
    assertTrue(Files.exists(out.resolve("run1/videos/" + lost + ".mp4")));
  }

  @Test
  void brokenRowsAreRejectedOthersGeneratedNothingEscapesTheOutputDir() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path csv = tmp.resolve("broken.csv");
    Files.write(csv, PromptReaderTest.brokenCsv());
    Path out = tmp.resolve("sandbox").resolve("out");
    GenerateConfig cfg = JobFixtures.config(List.of(csv.toString()), out.toString(), "broken",
        JobFixtures.resource("fake-model.properties").toString(), 2);
    RunSummary s = GenerateVideosJob.run(spark, cfg);
    assertEquals(14, s.inputRows());
    assertEquals(7, s.rejected());
    assertEquals(5, s.distinctPrompts(), "duplicate rows map to one prompt");
    assertEquals(5, s.ok());

    FileSystem fs = FileSystem.getLocal(JobFixtures.conf());
    List<CSVRecord> rows = JobFixtures.manifest(fs, cfg.layout().manifestCsv());
    assertEquals(14, rows.size(), "one manifest row per input row");
    Map<String, CSVRecord> byLine = new HashMap<>();
    rows.forEach(r -> byLine.put(r.get("source_line"), r));
    for (String line : List.of("5", "8", "9", "10", "14", "15", "17")) {
      assertEquals("rejected", byLine.get(line).get("status"), "line " + line);
      assertFalse(byLine.get(line).get("error").isEmpty());
      assertEquals("", byLine.get(line).get("video_path"));
    }
    assertTrue(byLine.get("14").get("error").contains("20000 characters"));
    assertTrue(byLine.get("15").get("error").contains("invalid UTF-8"));
    assertEquals(byLine.get("2").get("video_path"), byLine.get("11").get("video_path"));
    assertEquals(byLine.get("2").get("video_path"), byLine.get("12").get("video_path"));
    assertEquals("ok", byLine.get("6").get("status"), "a prompt with ../ is just text");
    assertEquals("ok", byLine.get("7").get("status"), "a prompt with HTML is just text");

    try (Stream<Path> all = Files.walk(tmp.resolve("sandbox"))) {
      List<Path> files = all.filter(Files::isRegularFile).toList();
      for (Path f : files) {
        assertTrue(f.startsWith(out.resolve("broken")), "written outside the run dir: " + f);
      }
      assertEquals(5, files.stream().filter(f -> f.toString().endsWith(".mp4")).count());
    }
  }

  @Test
  void failuresAreIsolatedRetriedWithTilingAndRecorded() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path model = tmp.resolve("failing-model.properties");
    Files.writeString(model, Files.readString(JobFixtures.resource("fake-model.properties"))
        + "fail=explode\noomUnlessTiling=balloon\n");
    Path csv = tmp.resolve("p.csv");
    Files.writeString(csv, "prompt,concept,motion_level\nA cat sleeps,animal,low\nThe sun will explode,scene,high\n"
        + "A red balloon drifts,scene,low\nA boat sails,scene,medium\n"
        + "\"" + "A very long prompt about a quiet harbour at dawn. ".repeat(12) + "\",scene,low\n");
    GenerateConfig cfg = JobFixtures.config(List.of(csv.toString()), tmp.resolve("out").toString(), "fail",
        model.toString(), 2);
    RunSummary s = GenerateVideosJob.run(spark, cfg);
    assertEquals(4, s.ok());
    assertEquals(1, s.failed());
    assertEquals(0.2, s.failedFraction(), 1e-12);

    Map<String, CSVRecord> byLine = new HashMap<>();
    JobFixtures.manifest(FileSystem.getLocal(JobFixtures.conf()), cfg.layout().manifestCsv())
        .forEach(r -> byLine.put(r.get("source_line"), r));
    CSVRecord exploded = byLine.get("3");
    assertEquals("failed", exploded.get("status"));
    assertEquals("java.lang.IllegalStateException: injected failure for 'explode' (after a retry with small VAE tiles;"
        + " first error: java.lang.IllegalStateException: injected failure for 'explode')", exploded.get("error"));
    assertEquals("", exploded.get("video_path"));
    CSVRecord balloon = byLine.get("4");
    assertEquals("ok", balloon.get("status"));
    assertEquals("true", balloon.get("vae_tiling"));
    assertEquals("false", byLine.get("2").get("vae_tiling"));
    assertEquals("false", byLine.get("2").get("prompt_truncated"));
    assertEquals("true", byLine.get("6").get("prompt_truncated"), "the model's truncation flag reaches the manifest");
    assertEquals(csv.toString(), byLine.get("6").get("source_file"));
    assertFalse(Files.exists(tmp.resolve("out/fail/videos/" + exploded.get("prompt_id") + ".mp4")));

    // the failed prompt is retried by a re-run (here with a model that no longer fails); the ok ones are not
    Path fixed = tmp.resolve("fixed-model.properties");
    Files.copy(JobFixtures.resource("fake-model.properties"), fixed);
    GenerateConfig rerun = JobFixtures.config(List.of(csv.toString()), tmp.resolve("out").toString(), "fail",
        fixed.toString(), 2);
    RunSummary again = GenerateVideosJob.run(spark, rerun);
    assertEquals(1, again.generated());
    assertEquals(5, again.ok());
  }

  @Test
  void anErrorThrownMidItemFailsThatItemAloneAndARerunRedoesOnlyIt() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path csv = tmp.resolve("p.csv");
    StringBuilder sb = new StringBuilder("prompt,concept,motion_level\n");
    for (int i = 0; i < 6; i++) {
      sb.append("Prompt number ").append(i).append(" of the crash test,scene,low\n");
    }
    Files.writeString(csv, sb.toString());
    Path out = tmp.resolve("out");
    GenerateConfig base = JobFixtures.config(List.of(csv.toString()), out.toString(), "crash",
        JobFixtures.resource("fake-model.properties").toString(), 1);
    GenerateConfig cfg = new GenerateConfig(base.prompts(), base.out(), base.runId(), base.modelConfig(), null,
        base.factoryClass(), org.k5spark.jobs.testing.CrashOnceEncoder.class.getName(), base.readerOptions(),
        base.selection(), Sampling.defaults(), 1, 0.5, true, 200, 2);
    List<PromptRecord> prompts = new PromptReader(cfg.readerOptions()).read("p.csv", Files.readAllBytes(csv));
    // an Error (not an Exception) half-way through encoding prompt 1's MP4, and one the model throws once on
    // prompt 3, which escapes its batch call: the task then retries that batch's prompts one at a time
    String encoderVictim = prompts.get(1).promptId();
    org.k5spark.jobs.testing.CrashOnceEncoder.CRASH_ONCE.add(encoderVictim);
    String modelVictim = prompts.get(3).prompt();
    PatternTextToVideo.CRASH_ONCE.add(modelVictim);
    RunSummary s;
    try {
      s = GenerateVideosJob.run(spark, cfg);
    } finally {
      PatternTextToVideo.CRASH_ONCE.clear();
      org.k5spark.jobs.testing.CrashOnceEncoder.CRASH_ONCE.clear();
    }
    assertEquals(5, s.ok());
    assertEquals(1, s.failed());
    assertEquals(GenerateVideosJob.DONE, s.state(), "1 of 6 failed is under --max-failed-fraction 0.5");
    FileSystem fs = FileSystem.getLocal(JobFixtures.conf());
    Map<String, CSVRecord> rows = new HashMap<>();
    JobFixtures.manifest(fs, cfg.layout().manifestCsv()).forEach(r -> rows.put(r.get("prompt_id"), r));
    assertEquals(6, rows.size());
    assertEquals("failed", rows.get(encoderVictim).get("status"));
    assertEquals("org.k5spark.jobs.testing.PatternTextToVideo$InjectedCrash: injected crash while encoding "
        + encoderVictim, rows.get(encoderVictim).get("error"));
    assertEquals("ok", rows.get(prompts.get(3).promptId()).get("status"), "retried alone after its batch threw");
    assertEquals(1, PartRecord.fromJson(Files.readAllBytes(out.resolve("crash/parts/" + prompts.get(3).promptId()
        + ".json"))).batchSize());
    try (Stream<Path> all = Files.walk(out)) {
      List<String> names = all.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
      assertEquals(5, names.stream().filter(n -> n.startsWith("crash/videos/") && n.endsWith(".mp4")).count(), names.toString());
      assertEquals(6, names.stream().filter(n -> n.startsWith("crash/parts/") && n.endsWith(".json")).count(), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.contains(".tmp") || n.contains("_tmp")), names.toString());
    }
    Map<String, Long> before = mtimes(out);

    RunSummary again = GenerateVideosJob.run(spark, cfg);
    assertEquals(6, again.ok());
    assertEquals(1, again.generated());
    assertEquals(5, again.skipped());
    List<CSVRecord> after = JobFixtures.manifest(fs, cfg.layout().manifestCsv());
    for (CSVRecord r : after) {
      JobFixtures.assertVideo(fs, new org.apache.hadoop.fs.Path(r.get("video_path")), Long.parseLong(r.get("seed")), 8);
      boolean victim = r.get("prompt_id").equals(encoderVictim);
      assertEquals(victim ? "earlier attempt failed: " : "", r.get("redone").replaceAll("(?<=: ).*", ""), r.toString());
      String video = out.resolve("crash/videos/" + r.get("prompt_id") + ".mp4").toString();
      if (!victim) {
        assertEquals(before.get(video), mtimes(out).get(video), "kept, not rewritten: " + video);
      }
    }
  }
}
