package org.k5spark.core.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.ConfigNode;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.golden.Comparison;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.weights.TensorSource;

/** Block-level checks: every traced intermediate of the public cases (embeddings, RoPE pairs, blocks). */
class DitTraceTest {
  @Test
  void denseSmallTraceMatches() {
    assertTrace("dense_small", 11);
  }

  @Test
  void nablaSmallTraceMatches() {
    assertTrace("nabla_small", 1);
  }

  @Test
  void ropeFrequenciesAreTheReferenceTable() {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      float[] f = Rope.freqs(m, 8).toFloatArray();
      for (int j = 0; j < 8; j++) {
        assertEquals(Math.exp(-Math.log(10000) * j / 8), f[j], 1e-6, "freq " + j);
      }
      // reference pairs (x_2p, x_2p+1) rotated by angle a_p = pos * freq_p: pair 0 = (1, 0), pair 1 = (0, 2);
      // apply works on the half-split head [x_0, x_2 | x_1, x_3] that halfSplitRows produces
      NDArray x = Rope.halfSplitRows(m.create(new float[] {1f, 0f, 0f, 2f}), 4).reshape(1, 1, 4);
      assertArrayEquals(new float[] {1f, 0f, 0f, 2f}, x.toFloatArray());
      Rope.Table t = Rope.text(m.create(new long[] {3}), 4);
      float[] y = Rope.apply(x, t).toFloatArray();
      double a0 = 3.0;
      double a1 = 3.0 * Math.exp(-Math.log(10000) / 2);
      assertEquals(Math.cos(a0), y[0], 1e-6, "pair 0, even");
      assertEquals(Math.sin(a0), y[2], 1e-6, "pair 0, odd");
      assertEquals(-2 * Math.sin(a1), y[1], 1e-6, "pair 1, even");
      assertEquals(2 * Math.cos(a1), y[3], 1e-6, "pair 1, odd");
      // an interleaved (1, 2, 3, 4) becomes (1, 3 | 2, 4)
      assertArrayEquals(new float[] {1f, 3f, 2f, 4f},
          Rope.halfSplitRows(m.create(new float[] {1f, 2f, 3f, 4f}), 4).toFloatArray());
    }
  }

  private static void assertTrace(String name, int minEntries) {
    try (GoldenCase c = GoldenCase.open(GoldenCases.dir(name));
        NDManager m = TorchRuntime.newManager(Device.cpu())) {
      ConfigNode cfg = ConfigNode.root(c.config(), "case.json");
      Map<String, NDArray> got = new HashMap<>();
      try (TensorSource src = TensorSource.open(c.weightsPath());
          DiffusionTransformer3D dit = DiffusionTransformer3D.load(DitParams.parse(cfg.child("dit_params")),
              AttentionConfig.parse(cfg.child("attention")), src, m, DataType.FLOAT32, AttentionBackend.named("sdpa"))) {
        dit.forward(new DiffusionTransformer3D.Inputs(c.input("x", m), c.input("text_embed", m),
            c.input("pooled_text_embed", m), c.input("time", m), new NDArray[] {c.input("visual_rope_pos.0", m),
                c.input("visual_rope_pos.1", m), c.input("visual_rope_pos.2", m)}, c.input("text_rope_pos", m),
            c.input("scale_factor", m).toFloatArray()), (n, v) -> got.put(n, v.duplicate()));
      }
      int checked = 0;
      for (GoldenCase.Ref ref : c.trace().values()) {
        NDArray a = got.get(ref.name());
        assertTrue(a != null, name + ": trace " + ref.name() + " not produced");
        Comparison r = Comparison.of(c, ref, a.toType(DataType.FLOAT32, false));
        assertTrue(r.pass(), name + " trace " + ref.name() + ": " + r.detail() + " max_abs=" + r.maxAbs());
        checked++;
      }
      assertTrue(checked >= minEntries, "checked " + checked + " trace entries");
    }
  }
}
