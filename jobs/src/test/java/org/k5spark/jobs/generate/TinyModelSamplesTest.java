package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.pipeline.Kandinsky5PipelineFactory;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.jobs.testing.SharedSpark;

/**
 * {@code --samples-per-prompt} on the real tiny pipeline: K distinct videos per accepted prompt with the documented
 * seeds (prompt seed + k), rejected rows once each, a re-run redoes nothing, and K=4 after K=3 makes only sample 3.
 */
class TinyModelSamplesTest {
  @TempDir Path tmp;

  private static final String CSV = """
      prompt,concept,motion_level
      "A red fox trots across fresh snow",animals,medium
      "",animals,low
      "An old lighthouse at dusk, waves below",scenery,low
      "too",many,fields,here
      """;

  @Test
  void threeSamplesPerPromptThenAFourth() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path weights = tmp.resolve("weights");
    TinyCheckpoint.writeAll(weights);
    Path csv = tmp.resolve("prompts.csv");
    Files.writeString(csv, CSV, StandardCharsets.UTF_8);
    Path out = tmp.resolve("out");
    GenerateConfig k3 = config(csv, out, 3);

    RunSummary first = GenerateVideosJob.run(spark, k3);
    assertEquals(4, first.inputRows());
    assertEquals(2, first.rejected());
    assertEquals(2, first.distinctPrompts());
    assertEquals(6, first.ok(), "2 prompts x 3 samples");
    assertEquals(6, first.generated());

    FileSystem fs = FileSystem.getLocal(JobFixtures.conf());
    List<CSVRecord> rows = JobFixtures.manifest(fs, k3.layout().manifestCsv());
    assertEquals(8, rows.size(), "3 rows per accepted prompt, 1 per rejected row");
    Map<String, List<CSVRecord>> byPrompt = new HashMap<>();
    int rejected = 0;
    for (CSVRecord r : rows) {
      if ("rejected".equals(r.get("status"))) {
        assertEquals("", r.get("sample"));
        rejected++;
        continue;
      }
      assertEquals("ok", r.get("status"), r.toString());
      byPrompt.computeIfAbsent(r.get("prompt_id"), k -> new java.util.ArrayList<>()).add(r);
    }
    assertEquals(2, rejected);
    assertEquals(2, byPrompt.size());
    Set<String> frames = new HashSet<>();
    for (var e : byPrompt.entrySet()) {
      String id = e.getKey();
      long seed0 = PromptIds.seed(42, id);
      List<CSVRecord> samples = e.getValue();
      assertEquals(List.of("0", "1", "2"), samples.stream().map(r -> r.get("sample")).toList(), id);
      for (int k = 0; k < 3; k++) {
        CSVRecord r = samples.get(k);
        assertEquals((seed0 + k) & 0x7fffffffL, Long.parseLong(r.get("seed")), "seed of sample " + k + " of " + id);
        String name = k == 0 ? id + ".mp4" : id + "-" + k + ".mp4";
        assertTrue(r.get("video_path").endsWith("/videos/" + name), r.get("video_path"));
        assertTrue(Files.exists(out.resolve("k/videos/" + name)), name);
        frames.add(r.get("frames_sha256"));
      }
    }
    assertEquals(6, frames.size(), "6 different videos (decoded frames)");

    Map<String, Long> before = mtimes(out.resolve("k"));
    assertEquals(12, before.size(), "6 videos + 6 parts");
    Thread.sleep(20);
    RunSummary again = GenerateVideosJob.run(spark, k3);
    assertEquals(0, again.generated(), "a re-run redoes nothing");
    assertEquals(6, again.skipped());
    assertEquals(before, mtimes(out.resolve("k")), "no video or part rewritten");

    RunSummary k4 = GenerateVideosJob.run(spark, config(csv, out, 4));
    assertEquals(2, k4.generated(), "K=4 after K=3 makes only the 4th sample of each prompt");
    assertEquals(6, k4.skipped());
    assertEquals(8, k4.ok());
    Map<String, Long> after = mtimes(out.resolve("k"));
    before.forEach((f, t) -> assertEquals(t, after.get(f), f + " kept"));
    for (String id : byPrompt.keySet()) {
      PartRecord p3 = PartRecord.fromJson(Files.readAllBytes(out.resolve("k/parts/" + id + "-3.json")));
      assertEquals(3, p3.sample());
      assertEquals((PromptIds.seed(42, id) + 3) & 0x7fffffffL, p3.seed());
      assertNull(p3.redone());
      assertTrue(frames.add(p3.framesSha256()), "sample 3 differs from samples 0-2");
    }
    assertEquals(10, JobFixtures.manifest(fs, k3.layout().manifestCsv()).size());
  }

  private static GenerateConfig config(Path csv, Path out, int k) {
    return new GenerateConfig(List.of(csv.toString()), out.toString(), "k", "tiny",
        out.getParent().resolve("weights").toString(), Kandinsky5PipelineFactory.class.getName(),
        GenerateConfig.DEFAULT_ENCODER, PromptReader.Options.defaults(), PromptSelection.all(),
        Sampling.defaults().withSamplesPerPrompt(k), 2, 0.1, true, 200, 4);
  }

  private static Map<String, Long> mtimes(Path run) throws Exception {
    Map<String, Long> m = new HashMap<>();
    for (String dir : List.of("videos", "parts")) {
      try (Stream<Path> s = Files.list(run.resolve(dir))) {
        for (Path p : s.toList()) {
          m.put(dir + "/" + p.getFileName(), Files.getLastModifiedTime(p).toMillis());
        }
      }
    }
    return m;
  }
}
