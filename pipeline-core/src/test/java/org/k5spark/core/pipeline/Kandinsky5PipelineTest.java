package org.k5spark.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.core.vae.VaeTiling;

/** Prompt → frames on the embedded tiny checkpoint: the whole model path, CPU. */
class Kandinsky5PipelineTest {
  @TempDir static Path root;
  static Kandinsky5Pipeline pipeline;

  @BeforeAll
  static void load() {
    ModelConfig cfg = TinyCheckpoint.writeAll(root);
    pipeline = Kandinsky5Pipeline.load(cfg, root, Device.cpu());
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  @Test
  void generatesTheConfiguredClipDeterministically() {
    List<Integer> steps = new ArrayList<>();
    GeneratedVideo a = pipeline.generate(VideoRequest.of("a red fox runs through snow", 7), steps::add);
    ModelConfig cfg = pipeline.config();
    // tiny.yaml: 1 s at 24 fps -> 1*24//4+1 = 7 latent frames -> 4*6+1 = 25 frames, first allowed size
    assertEquals(25, a.frames().frames());
    assertEquals(cfg.resolutions().get(0).height(), a.frames().height());
    assertEquals(cfg.resolutions().get(0).width(), a.frames().width());
    assertEquals(24.0, a.frames().fps());
    assertEquals(List.of(0, 1, 2, 3), steps);
    assertEquals(cfg.numSteps(), a.steps());
    assertFalse(a.promptTruncated());
    for (String stage : List.of("text_encode", "denoise", "decode")) {
      assertTrue(a.timings().get(stage) > 0, stage);
    }
    GeneratedVideo again = pipeline.generate(VideoRequest.of("a red fox runs through snow", 7), i -> {});
    assertArrayEquals(a.frames().rgb(), again.frames().rgb(), "same prompt + seed must give the same video");
    GeneratedVideo other = pipeline.generate(VideoRequest.of("a red fox runs through snow", 8), i -> {});
    assertFalse(Arrays.equals(a.frames().rgb(), other.frames().rgb()), "another seed must change the video");
    // not a constant (e.g. the all-black frames of non-finite latents) or frozen clip: every frame has spatial
    // variation (measured: pixel std ~40 levels) and every frame differs from the one before it (0.8 .. 9)
    VideoFrames v = a.frames();
    int n = v.frameBytes();
    for (int f = 0; f < v.frames(); f++) {
      double mean = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        int x = v.rgb()[f * n + i] & 0xff;
        mean += x;
        sq += (double) x * x;
      }
      mean /= n;
      double std = Math.sqrt(Math.max(0, sq / n - mean * mean));
      assertTrue(std > 2, "frame " + f + ": pixel std " + std + " grey levels");
      if (f > 0) {
        double mad = 0;
        for (int i = 0; i < n; i++) {
          mad += Math.abs((v.rgb()[f * n + i] & 0xff) - (v.rgb()[(f - 1) * n + i] & 0xff));
        }
        mad /= n;
        assertTrue(mad > 0.25, "frame " + f + " vs " + (f - 1) + ": mean |diff| " + mad + " grey levels");
      }
    }
  }

  @Test
  void givenEmbeddingsToMp4WithStageTimings() throws Exception {
    String prompt = "a lighthouse in a storm";
    ModelConfig cfg = pipeline.config();
    var te = cfg.textEmbedder();
    java.util.List<org.k5spark.core.text.TextEmbeddings> emb;
    try (var enc = org.k5spark.core.text.TextEncoders.open(org.k5spark.core.text.TextEncoders.Settings.of(
        ModelConfig.resolveWeight(te.qwen().checkpointPath(), root),
        ModelConfig.resolveWeight(te.clip().checkpointPath(), root), Device.cpu()))) {
      // each text alone, as the pipeline encodes them: a padded two-text batch differs in the last bits
      emb = new java.util.ArrayList<>();
      for (String text : List.of(prompt, org.k5spark.core.sampler.FlowMatchingSampler.DEFAULT_NEGATIVE_PROMPT)) {
        emb.addAll(enc.encode(List.of(text), org.k5spark.core.text.QwenPromptTokenizer.Content.VIDEO));
      }
    }
    VideoRequest req = VideoRequest.of(prompt, 11);
    GeneratedVideo v = pipeline.generateFromEmbeddings(emb.get(0), emb.get(1), req, i -> {});
    // the same as prompt -> video in one call
    assertArrayEquals(pipeline.generate(req, i -> {}).frames().rgb(), v.frames().rgb());
    Path mp4 = root.resolve("out/clip.mp4");
    Kandinsky5Pipeline.writeMp4(v, mp4);
    for (String stage : List.of("denoise", "decode", "encode")) {
      assertTrue(v.timings().get(stage) > 0, stage + " in " + v.timings());
    }
    var back = new org.k5spark.core.video.Mp4Reader().read(mp4);
    assertEquals(25, back.frames().frames());
    assertEquals("h264", back.metadata().codec());
    assertEquals(24.0, back.metadata().fps(), 1e-6);
    assertThrows(IllegalArgumentException.class, () -> pipeline.generateFromEmbeddings(emb.get(0), null, req, i -> {}));
  }

  @Test
  void rejectsSizesTheVariantDoesNotSupport() {
    var req = new VideoRequest("x", null, 1, 100, 64, null, null, null, false);
    var e = assertThrows(RuntimeException.class, () -> pipeline.generate(req, i -> {}));
    assertTrue(e.getMessage().contains("64x64"), e.getMessage());
  }

  @Test
  void smallMemoryPlanCoversTheWholeLatent() {
    // 10 s at 768x512: 61 latent frames, 64x96 latent
    VaeTiling t = VaeMemoryPlan.tiling(new VideoRequest("x", null, 1, null, null, null, null, null, true),
        new Shape(61, 64, 96, 16));
    var p = t.override();
    assertEquals(17, p.tileFrames());
    assertEquals(0, (60 - (p.tileFrames() - 1) / 4) % (p.strideFrames() / 4));
    assertEquals(0, (64 - p.tileHeight() / 8) % (p.strideHeight() / 8));
    assertEquals(0, (96 - p.tileWidth() / 8) % (p.strideWidth() / 8));
    assertTrue(p.strideHeight() < p.tileHeight() && p.strideWidth() < p.tileWidth());
    assertEquals(VaeTiling.AUTO, VaeMemoryPlan.tiling(VideoRequest.of("x", 1), new Shape(7, 8, 8, 16)));
  }

  @Test
  void tiledRetryStillGivesTheFullClip() {
    GeneratedVideo v = pipeline.generate(VideoRequest.of("a cat", 3).withVaeTiling(true), i -> {});
    assertEquals(25, v.frames().frames());
    assertEquals(pipeline.config().resolutions().get(0).height(), v.frames().height());
  }
}
