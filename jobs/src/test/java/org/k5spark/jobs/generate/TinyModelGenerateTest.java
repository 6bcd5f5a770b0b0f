package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.pipeline.Kandinsky5PipelineFactory;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.video.DecodedVideo;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.jobs.testing.SharedSpark;

/**
 * The real model path under Spark: the tiny checkpoint, prompt text → MP4, on local[2], in batches of 4 (the
 * text encoders placed once per batch, run.json counts it) with the same frames as one prompt per call.
 */
class TinyModelGenerateTest {
  @TempDir Path tmp;

  @Test
  void tinyCheckpointEndToEndOverTheSamplePrompts() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path weights = tmp.resolve("weights");
    ModelConfig tiny = TinyCheckpoint.writeAll(weights);
    Path out = tmp.resolve("out");
    String csv = Path.of("..", "configs", "prompts", "sample.csv").toAbsolutePath().normalize().toString();
    GenerateConfig cfg = new GenerateConfig(List.of(csv), out.toString(), "tiny", "tiny", weights.toString(),
        Kandinsky5PipelineFactory.class.getName(), GenerateConfig.DEFAULT_ENCODER, PromptReader.Options.defaults(),
        PromptSelection.all(), Sampling.defaults(), 2, 0.1, true, 200, 4);

    RunSummary first = GenerateVideosJob.run(spark, cfg);
    assertEquals(16, first.inputRows());
    assertEquals(16, first.ok(), "every sample prompt generates");

    FileSystem fs = FileSystem.getLocal(JobFixtures.conf());
    List<CSVRecord> rows = JobFixtures.manifest(fs, cfg.layout().manifestCsv());
    assertEquals(16, rows.size());
    // tiny.yaml: 1 s at 24 fps -> 7 latent frames -> 25 video frames, first allowed size
    int frames = 25;
    ModelConfig.Resolution size = tiny.resolutions().get(0);
    for (CSVRecord r : rows) {
      assertEquals("ok", r.get("status"), r.toString());
      assertEquals("tiny", r.get("model_variant"));
      assertEquals(String.valueOf(frames), r.get("frames"));
      assertTrue(r.get("checkpoint_digest").startsWith("sha256:"));
      Path video = out.resolve("tiny/videos/" + r.get("prompt_id") + ".mp4");
      DecodedVideo v = new Mp4Reader().read(video);
      assertEquals(frames, v.frames().frames());
      assertEquals(size.height(), v.frames().height());
      assertEquals(size.width(), v.frames().width());
      assertEquals("h264", v.metadata().codec());
      assertTrue(Double.parseDouble(r.get("denoise_ms")) > 0 && Double.parseDouble(r.get("text_encode_ms")) > 0);
    }
    // distinct prompts and seeds give distinct videos (decoded frames, not file sizes)
    Set<String> distinct = new java.util.HashSet<>();
    for (CSVRecord r : rows) {
      distinct.add(java.util.Arrays.toString(java.security.MessageDigest.getInstance("SHA-256").digest(
          new Mp4Reader().read(out.resolve("tiny/videos/" + r.get("prompt_id") + ".mp4")).frames().rgb())));
    }
    assertEquals(16, distinct.size(), "16 prompts, 16 different videos");

    // 16 prompts over 2 partitions of 8, batches of 4: 4 batches, each placing the text encoders once
    com.fasterxml.jackson.databind.JsonNode executors = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.resolve("tiny/run.json").toFile()).get("summary").get("executors");
    assertEquals(1, executors.size(), "local[2] is one executor: " + executors);
    com.fasterxml.jackson.databind.JsonNode driver = executors.get("driver");
    assertEquals(4, driver.get("batches").asInt(), driver.toString());
    assertEquals(4, driver.get("text_encoder_placements").asInt(), driver.toString());
    assertEquals(16, driver.get("prompts").asInt());
    assertEquals(4.0, driver.get("prompts_per_batch").asDouble());

    // one prompt per call gives the same frames, byte for byte, and places the encoders once per prompt
    GenerateConfig single = new GenerateConfig(List.of(csv), out.toString(), "tiny-single", "tiny", weights.toString(),
        Kandinsky5PipelineFactory.class.getName(), GenerateConfig.DEFAULT_ENCODER, PromptReader.Options.defaults(),
        PromptSelection.all(), Sampling.defaults(), 2, 0.1, true, 200, 1);
    assertEquals(16, GenerateVideosJob.run(spark, single).ok());

    for (CSVRecord r : rows) {
      String part = r.get("prompt_id") + ".json";
      PartRecord batched = PartRecord.fromJson(Files.readAllBytes(out.resolve("tiny/parts/" + part)));
      PartRecord alone = PartRecord.fromJson(Files.readAllBytes(out.resolve("tiny-single/parts/" + part)));
      assertEquals(4, batched.batchSize());
      assertEquals(1, alone.batchSize());
      assertEquals(64, batched.framesSha256().length());
      assertEquals(batched.framesSha256(), alone.framesSha256(), "frames of " + part);
    }
    assertEquals(16, new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("tiny-single/run.json")
        .toFile()).get("summary").get("executors").get("driver").get("text_encoder_placements").asInt());

    RunSummary second = GenerateVideosJob.run(spark, cfg);
    assertEquals(0, second.generated(), "a second run writes nothing new");
    assertEquals(16, second.skipped());
    assertTrue(Files.exists(out.resolve("tiny/manifest.csv")));
  }
}
