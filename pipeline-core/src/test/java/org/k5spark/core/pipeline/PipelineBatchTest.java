package org.k5spark.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.tiny.TinyCheckpoint;

/** A batch of requests on one loaded pipeline (the executor's use): prompts encoded first, then each video. */
class PipelineBatchTest {
  @TempDir static Path root;
  static Kandinsky5Pipeline pipeline;

  @BeforeAll
  static void load() {
    String old = System.getProperty("k5.attention");
    System.clearProperty("k5.attention");
    try {
      ModelConfig cfg = TinyCheckpoint.writeAll(root);
      pipeline = Kandinsky5Pipeline.load(cfg, root, Device.cpu());
    } finally {
      if (old != null) {
        System.setProperty("k5.attention", old);
      }
    }
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  @Test
  void batchEqualsOneByOneAndDefaultsAreExactSdpaFp32() {
    assertEquals("sdpa", pipeline.attentionBackend(), "SDPA is the default attention backend");
    assertEquals(DataType.FLOAT32, pipeline.ditDtype());
    VideoRequest a = VideoRequest.of("a red fox runs through snow", 7);
    VideoRequest b = new VideoRequest("waves at dusk", "blurry", 9, 96, 64, 0.0, 3, 4.0, false);
    List<int[]> steps = new ArrayList<>();
    List<GeneratedVideo> both = pipeline.generateAll(List.of(a, b), (r, i) -> steps.add(new int[] {r, i}));
    assertEquals(4 + 3, steps.size());
    assertEquals(1, steps.get(steps.size() - 1)[0]);
    GeneratedVideo ga = pipeline.generate(a, i -> {});
    GeneratedVideo gb = pipeline.generate(b, i -> {});
    assertEquals(1, both.get(1).frames().frames(), "0 s is an image");
    assertEquals(96, both.get(1).frames().width());
    // the batch pads prompts to the longest in the encoder batch: equal up to float rounding in 8-bit frames
    assertTrue(maxDiff(both.get(0).frames().rgb(), ga.frames().rgb()) <= 1, "first video");
    assertTrue(maxDiff(both.get(1).frames().rgb(), gb.frames().rgb()) <= 1, "second video");
    assertTrue(both.get(0).timings().get("text_encode") > 0 && both.get(1).timings().get("denoise") > 0);
  }

  @Test
  void magCacheNeedsTheVariantsRatios() throws java.io.IOException {
    String yaml;
    try (var in = ModelConfig.class.getResourceAsStream(ModelConfig.EMBEDDED_DIR + "tiny.yaml")) {
      yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String withoutRatios = yaml.replaceAll("(?m)^magcache:\\n  mag_ratios: .*\\n", "");
    assertTrue(withoutRatios.length() < yaml.length(), "tiny.yaml ships MagCache ratios");
    ModelConfig bare = ModelConfig.parse(new java.io.ByteArrayInputStream(
        withoutRatios.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "tiny-without-ratios.yaml");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kandinsky5Pipeline.magCacheFor(bare));
    assertEquals("MagCache was requested but tiny-without-ratios.yaml has no magcache.mag_ratios for variant tiny",
        e.getMessage());
  }

  @Test
  void magCacheCalibrationGivesOneRatioPerCallAfterTheFirstStep() {
    VideoRequest a = new VideoRequest("a red fox runs through snow", null, 7, null, null, null, 5, null, false);
    VideoRequest b = new VideoRequest("waves at dusk", null, 9, null, null, null, 5, null, false);
    List<Integer> done = new ArrayList<>();
    double[] ratios = pipeline.calibrateMagCache(List.of(a, b), done::add);
    assertEquals(List.of(0, 1), done);
    assertEquals(2 * (5 - 1), ratios.length);
    // guided: the cond (even) and uncond (odd) entries come from different branches' residuals, so they differ;
    // a calibration that filed both branches under one slot would give equal pairs
    boolean branchesDiffer = false;
    for (int i = 0; i < ratios.length; i += 2) {
      assertTrue(Double.isFinite(ratios[i]) && ratios[i] > 0, "a residual-norm ratio: " + ratios[i]);
      branchesDiffer |= ratios[i] != ratios[i + 1];
    }
    assertTrue(branchesDiffer, java.util.Arrays.toString(ratios));
    double[] onlyA = pipeline.calibrateMagCache(List.of(a), i -> {});
    double[] onlyB = pipeline.calibrateMagCache(List.of(b), i -> {});
    for (int i = 0; i < ratios.length; i++) {
      assertEquals((onlyA[i] + onlyB[i]) / 2, ratios[i], 1e-5, "the mean over prompts, entry " + i);
    }
    // unguided (weight 1.0): only the cond branch runs, and the layout repeats each cond ratio as its uncond entry
    VideoRequest plain = new VideoRequest("waves at dusk", null, 9, null, null, null, 5, 1.0, false);
    double[] unguided = pipeline.calibrateMagCache(List.of(plain), i -> {});
    assertEquals(2 * (5 - 1), unguided.length);
    for (int i = 0; i < unguided.length; i += 2) {
      assertEquals(unguided[i], unguided[i + 1], 0, "entry " + i);
    }
    // the unguided cond trajectory differs from the guided one (x moves differently), so its ratios do too
    assertTrue(!java.util.Arrays.equals(unguided, onlyB), "guidance must change the calibrated ratios");
  }

  private static int maxDiff(byte[] x, byte[] y) {
    assertEquals(x.length, y.length);
    int m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs((x[i] & 0xff) - (y[i] & 0xff)));
    }
    return m;
  }
}
