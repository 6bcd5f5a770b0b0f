package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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

/** The real model path under Spark: the tiny checkpoint, prompt text → MP4, on local[2]. */
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
        PromptSelection.all(), Sampling.defaults(), 2, 0.1, true, 200);

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
    // distinct prompts and seeds give distinct videos
    Set<Long> sizes = rows.stream().map(r -> Long.parseLong(r.get("video_bytes"))).collect(Collectors.toSet());
    assertTrue(sizes.size() > 8, "videos differ: " + sizes);

    RunSummary second = GenerateVideosJob.run(spark, cfg);
    assertEquals(0, second.generated(), "a second run writes nothing new");
    assertEquals(16, second.skipped());
    assertTrue(Files.exists(out.resolve("tiny/manifest.csv")));
  }
}
