package org.k5spark.eval.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.SafetensorsFile;

/** Tiny CLIP text tower against the NumPy reference of {@code vit/make_tiny_vit.py}; tokenizer on a word-level json. */
class ClipTextEncoderTest {
  @Test
  void matchesReferenceAtTheEndToken() {
    try (SafetensorsFile model = SafetensorsFile.open(VisionTransformerTest.resource("clip_tiny.safetensors"));
        SafetensorsFile cases = SafetensorsFile.open(VisionTransformerTest.resource("cases.safetensors"));
        ClipTextEncoder enc = ClipTextEncoder.load(model, 2, TorchRuntime.newManager(Device.cpu()))) {
      assertEquals(6, enc.contextLength());
      java.nio.LongBuffer lb = cases.raw("clip_text_ids").asLongBuffer();
      long[] flat = new long[lb.remaining()];
      lb.get(flat);
      long[][] ids = new long[3][];
      for (int i = 0; i < 3; i++) {
        // strip the zero padding: the encoder pads again
        int n = 6;
        while (n > 0 && flat[i * 6 + n - 1] == 0) {
          n--;
        }
        ids[i] = java.util.Arrays.copyOfRange(flat, i * 6, i * 6 + n);
      }
      float[][] out = enc.embed(ids);
      float[] expected = cases.floats("clip_text_out");
      double max = 0;
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 16; j++) {
          max = Math.max(max, Math.abs(out[i][j] - expected[i * 16 + j]));
        }
      }
      System.out.printf("clip text: max_abs %.3g over 3x16%n", max);
      assertTrue(max < 1e-4, "max_abs " + max);
    }
  }

  @Test
  void tokenizerAddsStartEndAndTruncatesKeepingTheEnd() {
    try (ClipTokenizer tok = new ClipTokenizer(VisionTransformerTest.resource("word_tokenizer.json"), 6)) {
      assertArrayEquals(new long[] {8, 1, 2, 3, 9}, tok.ids("A red car"));
      assertArrayEquals(new long[] {8, 1, 2, 3, 4, 9}, tok.ids("a red car drives fast on a road"));
    }
  }
}
