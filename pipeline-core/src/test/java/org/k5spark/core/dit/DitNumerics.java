package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.ConfigNode;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.weights.TensorSource;

/** Test helper: one dit_forward golden case run with other weights / dtype. */
final class DitNumerics {
  private DitNumerics() {}

  static float[] forwardCase(String name, Path weights, DataType dtype, NDManager base) {
    try (GoldenCase c = GoldenCase.open(GoldenCases.dir(name));
        NDManager m = base.newSubManager()) {
      ConfigNode cfg = ConfigNode.root(c.config(), "case.json");
      DitParams p = DitParams.parse(cfg.child("dit_params"));
      AttentionConfig a = AttentionConfig.parse(cfg.child("attention"));
      try (TensorSource src = TensorSource.open(weights == null ? c.weightsPath() : weights);
          DiffusionTransformer3D dit = DiffusionTransformer3D.load(p, a, src, m, dtype, AttentionBackend.fromSystemProperty())) {
        NDArray v = dit.forward(new DiffusionTransformer3D.Inputs(c.input("x", m), c.input("text_embed", m),
            c.input("pooled_text_embed", m), c.input("time", m), new NDArray[] {c.input("visual_rope_pos.0", m),
                c.input("visual_rope_pos.1", m), c.input("visual_rope_pos.2", m)}, c.input("text_rope_pos", m),
            c.input("scale_factor", m).toFloatArray()), null);
        return v.toType(DataType.FLOAT32, false).toFloatArray();
      }
    }
  }

  static float[] golden(String name, String output, NDManager m) {
    try (GoldenCase c = GoldenCase.open(GoldenCases.dir(name))) {
      return c.tensor(c.outputs().get(output), m).toFloatArray();
    }
  }

  static double relL2(float[] a, float[] ref) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - ref[i]) * (double) (a[i] - ref[i]);
      den += ref[i] * (double) ref[i];
    }
    return Math.sqrt(num / den);
  }
}
