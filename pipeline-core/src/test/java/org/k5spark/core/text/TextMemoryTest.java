package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.testing.PeakRss;
import org.k5spark.core.weights.SafetensorsWriter;

/**
 * The text encoders' memory plan against what libtorch allocates on the CPU, at a reduced size where the
 * activations are large enough to measure (a Qwen of hidden 256, 2 layers, over 768 tokens: the scores of 8
 * heads dominate, as they do not at the released size): weights exactly, one encode's peak within a factor:
 * the plan may not lie below the measured peak nor more than 2x above it (measured 1.3x-1.6x over runs on this
 * machine, 2026-12-04).
 */
class TextMemoryTest {
  static final QwenTextConfig REDUCED = new QwenTextConfig(16000, 256, 1024, 2, 8, 2, 1e-6, 1e6, false, 32);
  static final int TOKENS = 768;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TextPrecision.class)
  void qwenWeightsExactlyActivationsWithinAFactor(TextPrecision p) throws Exception {
    writeQwen(dir, REDUCED);
    try (Qwen25VlTextEncoder q = Qwen25VlTextEncoder.load(dir, Device.cpu(), p.weightType(), false);
        NDManager m = TorchRuntime.newManager(Device.cpu())) {
      assertEquals(TextMemory.qwenWeightBytes(REDUCED, p), q.weightBytes());
      long[] ids = new long[TOKENS];
      for (int i = 0; i < TOKENS; i++) {
        ids[i] = (i * 7919L) % REDUCED.vocabSize();
      }
      NDArray x = m.create(ids, new Shape(1, TOKENS));
      try (NDManager warm = m.newSubManager()) {
        q.encode(x.duplicate()).toFloatArray(); // kernels, thread pools
      }
      // each run's tensors live in its own sub-manager, closed before the next measurement
      long measured = PeakRss.max(3, () -> {
        try (NDManager s = m.newSubManager()) {
          NDArray in = x.duplicate();
          in.attach(s);
          q.encode(in).toFloatArray();
        }
      });
      long planned = TextMemory.qwenActivationBytes(REDUCED, TOKENS, p);
      System.out.printf("qwen %s encode of %d tokens: measured peak %.1f MB, planned %.1f MB (%.2fx)%n", p, TOKENS,
          measured / 1e6, planned / 1e6, planned / (double) measured);
      assertTrue(measured > 0, "no measurable peak");
      assertTrue(planned >= measured, "planned " + planned + " below the measured peak " + measured);
      assertTrue(planned <= 2 * measured, "planned " + planned + " more than 2x the measured peak " + measured);
    }
  }

  static void writeQwen(Path dir, QwenTextConfig c) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), String.format(java.util.Locale.ROOT, "{\"vocab_size\": %d,"
        + " \"hidden_size\": %d, \"intermediate_size\": %d, \"num_hidden_layers\": %d, \"num_attention_heads\": %d,"
        + " \"num_key_value_heads\": %d, \"rms_norm_eps\": 1e-6, \"rope_theta\": 1000000.0,"
        + " \"tie_word_embeddings\": false}", c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.numLayers(),
        c.numHeads(), c.numKvHeads()));
    SplittableRandom rng = new SplittableRandom(5);
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, long[]> e : Qwen25VlTextEncoder.expectedShapes(c, "model.", false).entrySet()) {
      long[] s = e.getValue();
      int n = (int) (s.length == 1 ? s[0] : s[0] * s[1]);
      float[] v = new float[n];
      double std = e.getKey().contains("norm") ? 0.0 : s.length == 1 ? 0.02 : 1 / Math.sqrt(s[s.length - 1]);
      for (int i = 0; i < n; i++) {
        v[i] = (float) ((e.getKey().contains("norm") ? 1 : 0) + std * rng.nextGaussian());
      }
      w.putFloats(e.getKey(), s, v);
    }
    w.write(dir.resolve("model.safetensors"));
  }
}
