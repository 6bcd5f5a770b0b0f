package org.k5spark.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.eval.SyntheticVideos;
import org.k5spark.eval.flow.LinearBlendInterpolator;
import org.k5spark.eval.flow.Unavailable;
import org.k5spark.eval.vit.ImageTransform;
import org.k5spark.eval.vit.VisionTransformer;
import org.k5spark.eval.vit.VitImageEncoder;
import org.k5spark.eval.vit.VitLayout;

class ModelMetricsTest {
  @TempDir
  Path dir;

  private static Path tiny(String name) throws Exception {
    return Path.of(ModelMetricsTest.class.getResource("/vit/" + name).toURI());
  }

  @Test
  void consistencyFormulaByHand() {
    // pairs: (cos(f0,f1)=1 + cos(f0,f1)=1)/2 = 1; (cos(f1,f2)=0 + cos(f0,f2)=0)/2 = 0 -> 0.5
    assertEquals(0.5, EmbeddingConsistency.score(new float[][] {{1, 0}, {2, 0}, {0, 3}}), 1e-12);
    // negative cosines are clipped to 0
    assertEquals(0.5, EmbeddingConsistency.score(new float[][] {{1, 0}, {2, 0}, {-1, 0}}), 1e-12);
    // (1,0),(1,1),(0,1): (s + s)/2 + (s + 0)/2 with s = 1/sqrt(2), over 2 pairs
    double s = Math.sqrt(0.5);
    assertEquals((s + s / 2) / 2, EmbeddingConsistency.score(new float[][] {{1, 0}, {1, 1}, {0, 1}}), 1e-12);
  }

  @Test
  void aestheticFormulaByHand() {
    // (3,4) -> (0.6,0.8) -> 10*0.6 + 2 = 8 -> 0.8; (0,5) -> (0,1) -> 2 -> 0.2; mean 0.5
    assertEquals(0.5, AestheticQuality.score(new float[][] {{3, 4}, {0, 5}}, new float[] {10, 0}, 2f), 1e-12);
  }

  @Test
  void tinyDinoConsistencyIsOneOnAStillClipAndLowerOnNoise() throws Exception {
    try (SafetensorsFile f = SafetensorsFile.open(tiny("dino_tiny.safetensors"));
        VitImageEncoder enc = new VitImageEncoder("tiny_dino", ImageTransform.dino(16),
            VisionTransformer.load(f, VitLayout.DINO, 2, TorchRuntime.newManager(Device.cpu())), 4)) {
      EmbeddingConsistency metric = new EmbeddingConsistency("subject_consistency", enc);
      MetricResult still = metric.compute(SyntheticVideos.still(6, 24, 36, 24)).get(0);
      MetricResult noise = metric.compute(SyntheticVideos.noise(6, 24, 36, 24, 9)).get(0);
      System.out.printf("tiny dino consistency: still %.6f noise %.6f%n", still.number(), noise.number());
      assertEquals(1.0, still.number(), 1e-5);
      assertTrue(noise.number() >= 0 && noise.number() < still.number() - 1e-3);
      assertEquals("tiny_dino", still.estimator());
    }
  }

  @Test
  void weightsDirectoryDrivesWhatIsComputed() throws Exception {
    Files.copy(tiny("clip_tiny.safetensors"), dir.resolve(ModelMetrics.CLIP_B32));
    try (ModelMetrics models = ModelMetrics.create(dir, Device.cpu())) {
      MetricSet set = MetricSet.with(Unavailable.raft("expected raft-things.safetensors"), new LinearBlendInterpolator(), models);
      // 12x12 is the tiny tower's own resolution, so the expected value needs no resampling in the reference:
      // resources/vit/metric_answers.py (NumPy forward of make_tiny_vit.py) gives 0.923571566; float32 libtorch
      // against the float32/float64 NumPy path agrees to ~1e-7, 1e-5 still separates any other clip or formula
      VideoFrames video = SyntheticVideos.movingSquare(5, 12, 12, 24, 6, 1, 2, 1, 0);
      Map<String, MetricResult> r = set.run(video);
      MetricResult bg = r.get("background_consistency");
      assertTrue(bg.computed());
      assertEquals("clip_vitb32", bg.estimator());
      assertEquals(0.923571566, bg.number(), 1e-5);
      for (String name : List.of("subject_consistency", "aesthetic_quality")) {
        assertFalse(r.get(name).computed(), name);
        assertTrue(r.get(name).notComputedReason().startsWith("no weights (expected " + dir), r.get(name).notComputedReason());
      }
      assertFalse(r.get("text_video_alignment").computed());
    }
  }

  @Test
  void alignmentFormulaByHand() {
    // text (1,0); frames (1,0) -> 1, (0,2) -> 0, (-1,1) -> -1/sqrt(2)
    double expected = (1 + 0 - Math.sqrt(0.5)) / 3;
    assertEquals(expected, TextVideoAlignment.score(new float[][] {{1, 0}, {0, 2}, {-1, 1}}, new float[] {3, 0}), 1e-12);
  }

  @Test
  void textVideoAlignmentNeedsTokenizerAndPrompt() throws Exception {
    Files.copy(tiny("clip_tiny.safetensors"), dir.resolve(ModelMetrics.CLIP_B32));
    VideoFrames video = SyntheticVideos.movingSquare(5, 12, 12, 24, 6, 1, 2, 1, 0);
    try (ModelMetrics models = ModelMetrics.create(dir, Device.cpu())) {
      MetricResult r = MetricSet.with(Unavailable.raft("expected raft-things.safetensors"), Unavailable.amt(), models).run(video, "a red car").get("text_video_alignment");
      assertFalse(r.computed());
      assertEquals("no weights (expected " + dir.resolve(ModelMetrics.CLIP_TOKENIZER) + ")", r.notComputedReason());
    }
    Files.copy(tiny("word_tokenizer.json"), dir.resolve(ModelMetrics.CLIP_TOKENIZER));
    try (ModelMetrics models = ModelMetrics.create(dir, Device.cpu())) {
      MetricSet set = MetricSet.with(Unavailable.raft("expected raft-things.safetensors"), Unavailable.amt(), models);
      MetricResult r = set.run(video, "a red car").get("text_video_alignment");
      // metric_answers.py: "a red car" = ids 8 1 2 3 9 (start, words, end) through the NumPy text tower; the
      // moving clip and a single still frame give different means, so frames are really averaged
      assertEquals(-0.245412874, r.number(), 1e-5);
      assertEquals(5, r.details().get("prompt_tokens"));
      MetricResult one = set.run(SyntheticVideos.still(1, 12, 12, 24), "a red car").get("text_video_alignment");
      assertEquals(-0.296522307, one.number(), 1e-5);
      MetricResult noPrompt = set.run(video).get("text_video_alignment");
      assertEquals("no prompt given", noPrompt.notComputedReason());
    }
  }

  @Test
  void aestheticWithTinyClipAndHead() throws Exception {
    Files.copy(tiny("clip_tiny.safetensors"), dir.resolve(ModelMetrics.CLIP_L14));
    float[] w = new float[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 3 - 1) * 5f;
    }
    new org.k5spark.core.weights.SafetensorsWriter().putFloats("weight", new long[] {1, 16}, w)
        .putFloats("bias", new long[] {1}, new float[] {5f}).write(dir.resolve(ModelMetrics.AESTHETIC_HEAD));
    try (ModelMetrics models = ModelMetrics.create(dir, Device.cpu())) {
      Map<String, MetricResult> r = MetricSet.with(Unavailable.raft("expected raft-things.safetensors"), Unavailable.amt(), models)
          .run(SyntheticVideos.still(3, 12, 12, 24));
      MetricResult a = r.get("aesthetic_quality");
      // metric_answers.py: mean over frames of (5 + w . normalize(e)) / 10 with the NumPy CLIP embedding
      assertEquals(0.516375265, a.number(), 1e-5);
      assertEquals("clip_vitl14+laion_aesthetic_linear", a.estimator());
    }
  }

  @Test
  void vbenchFileNamesAreFoundFlatOrInVBenchsCacheLayoutAndSafetensorsWin() throws Exception {
    Path head = tiny("vbench/aesthetic_model/emb_reader/sa_0_4_vit_l_14_linear.pth");
    assertEquals(null, ModelMetrics.AESTHETIC_FILE.find(dir));
    Path nested = Files.createDirectories(dir.resolve("aesthetic_model/emb_reader")).resolve("sa_0_4_vit_l_14_linear.pth");
    Files.copy(head, nested);
    assertEquals(nested, ModelMetrics.AESTHETIC_FILE.find(dir));
    Files.copy(head, dir.resolve("sa_0_4_vit_l_14_linear.pth"));
    assertEquals(dir.resolve("sa_0_4_vit_l_14_linear.pth"), ModelMetrics.AESTHETIC_FILE.find(dir));
    Files.writeString(dir.resolve(ModelMetrics.AESTHETIC_HEAD), "x");
    assertEquals(dir.resolve(ModelMetrics.AESTHETIC_HEAD), ModelMetrics.AESTHETIC_FILE.find(dir));
    try (ModelMetrics models = ModelMetrics.create(dir, Device.cpu())) {
      MetricResult r = MetricSet.with(Unavailable.raft("expected raft-things.safetensors"), Unavailable.amt(), models).run(SyntheticVideos.still(1, 12, 12, 24))
          .get("subject_consistency");
      assertEquals("no weights (expected " + dir.resolve(ModelMetrics.DINO) + ", or VBench's dino_vitbase16_pretrain.pth"
          + " there or in dino_model/)", r.notComputedReason());
    }
  }

  @Test
  void aestheticHeadFromLaionsPthGivesTheNumPyAnswer() throws Exception {
    Files.copy(tiny("clip_tiny.safetensors"), dir.resolve(ModelMetrics.CLIP_L14));
    Files.copy(tiny("vbench/aesthetic_model/emb_reader/sa_0_4_vit_l_14_linear.pth"), dir.resolve("sa_0_4_vit_l_14_linear.pth"));
    try (ModelMetrics models = ModelMetrics.create(dir, Device.cpu())) {
      MetricResult a = MetricSet.with(Unavailable.raft("expected raft-things.safetensors"), Unavailable.amt(), models)
          .run(SyntheticVideos.still(3, 12, 12, 24)).get("aesthetic_quality");
      // the same known answer as aestheticWithTinyClipAndHead: make_tiny_pth.py saved that head with torch.save
      assertEquals(0.516375265, a.number(), 1e-5);
    }
  }
}
