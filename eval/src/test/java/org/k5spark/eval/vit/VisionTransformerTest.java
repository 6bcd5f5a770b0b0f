package org.k5spark.eval.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.net.URISyntaxException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.core.weights.WeightFileException;

/**
 * Tiny random DINO / CLIP towers against the NumPy reference of {@code vit/make_tiny_vit.py}
 * (square, tall and wide inputs; the non-square ones exercise DINO's bicubic position interpolation).
 */
class VisionTransformerTest {
  static Path resource(String name) {
    try {
      return Path.of(VisionTransformerTest.class.getResource("/vit/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double maxAbsDiff(TensorSource model, VitLayout layout, SafetensorsFile cases, String name) {
    try (VisionTransformer vit = VisionTransformer.load(model, layout, 2, TorchRuntime.newManager(Device.cpu()))) {
      long[] shape = cases.info(name + "_in").shape();
      int b = (int) shape[0];
      int h = (int) shape[2];
      int w = (int) shape[3];
      float[] in = cases.floats(name + "_in");
      float[][] images = new float[b][3 * h * w];
      for (int i = 0; i < b; i++) {
        System.arraycopy(in, i * 3 * h * w, images[i], 0, 3 * h * w);
      }
      float[][] out = vit.embed(images, h, w);
      float[] expected = cases.floats(name + "_out");
      int d = expected.length / b;
      assertEquals(d, out[0].length);
      double max = 0;
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < d; j++) {
          max = Math.max(max, Math.abs(out[i][j] - expected[i * d + j]));
        }
      }
      System.out.printf("vit %s: max_abs %.3g over %dx%d%n", name, max, b, d);
      return max;
    }
  }

  @Test
  void dinoMatchesReferenceIncludingInterpolatedPositions() {
    try (SafetensorsFile model = SafetensorsFile.open(resource("dino_tiny.safetensors"));
        SafetensorsFile cases = SafetensorsFile.open(resource("cases.safetensors"))) {
      for (String c : new String[] {"dino_square", "dino_tall", "dino_wide"}) {
        assertTrue(maxAbsDiff(model, VitLayout.DINO, cases, c) < 1e-4, c);
      }
    }
  }

  @Test
  void clipMatchesReferenceAndIgnoresTheTextTower() {
    try (SafetensorsFile model = SafetensorsFile.open(resource("clip_tiny.safetensors"));
        SafetensorsFile cases = SafetensorsFile.open(resource("cases.safetensors"))) {
      assertTrue(maxAbsDiff(model, VitLayout.CLIP, cases, "clip_square") < 1e-4);
    }
  }

  @Test
  void configComesFromTheCheckpoint() {
    try (SafetensorsFile model = SafetensorsFile.open(resource("clip_tiny.safetensors"))) {
      VitConfig c = VitConfig.fromCheckpoint(model, VitLayout.CLIP, null);
      assertEquals(new VitConfig(VitLayout.CLIP, 32, 4, 3, 2, 1, 64, 16), c);
    }
  }

  @Test
  void wrongCheckpointIsOneClearError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path p = dir.resolve("notvit.safetensors");
    new SafetensorsWriter().putFloats("weight", new long[] {2}, new float[] {1, 2}).write(p);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      WeightFileException e = assertThrows(WeightFileException.class,
          () -> VisionTransformer.load(f, VitLayout.DINO, null, TorchRuntime.newManager(Device.cpu())));
      assertTrue(e.getMessage().contains("patch_embed.proj.weight"), e.getMessage());
    }
  }
}
