package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.k5spark.core.testing.CpuManager;

/** Block-level checks of the text math against plain-Java formulas. */
class TextOpsTest {
  @RegisterExtension
  static final CpuManager cpu = new CpuManager();

  static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian() * 2;
    }
    return v;
  }

  @Test
  void rmsNormMatchesFormula() {
    int rows = 3;
    int d = 10;
    float[] x = random(rows * d, 1);
    float[] w = random(d, 2);
    float[] got = TextOps.rmsNorm(cpu.get().create(x, new Shape(rows, d)), cpu.get().create(w), 1e-6).toFloatArray();
    for (int r = 0; r < rows; r++) {
      double ms = 0;
      for (int j = 0; j < d; j++) {
        ms += x[r * d + j] * (double) x[r * d + j];
      }
      double inv = 1 / Math.sqrt(ms / d + 1e-6);
      for (int j = 0; j < d; j++) {
        assertEquals(w[j] * x[r * d + j] * inv, got[r * d + j], 1e-5);
      }
    }
  }

  @Test
  void rotaryRotatesPairsJAndJPlusHalf() {
    int d = 8;
    int len = 5;
    double theta = 10000;
    float[] x = random(len * d, 3);
    NDArray[] cs = TextOps.ropeCosSin(cpu.get(), 2, len, d, theta); // positions 2..6
    float[] got = TextOps.applyRope(cpu.get().create(x, new Shape(1, 1, len, d)), cs[0], cs[1]).toFloatArray();
    for (int p = 0; p < len; p++) {
      for (int j = 0; j < d / 2; j++) {
        double ang = (p + 2) * Math.pow(theta, -2.0 * j / d);
        double a = x[p * d + j];
        double b = x[p * d + j + d / 2];
        assertEquals(a * Math.cos(ang) - b * Math.sin(ang), got[p * d + j], 1e-5);
        assertEquals(b * Math.cos(ang) + a * Math.sin(ang), got[p * d + j + d / 2], 1e-5);
      }
    }
  }

  @Test
  void gqaKvHeadGServesQueryHeadsGTimesGroups() {
    int hkv = 3;
    int groups = 4;
    float[] v = new float[hkv * 2];
    for (int g = 0; g < hkv; g++) {
      v[2 * g] = g;
      v[2 * g + 1] = 10 + g;
    }
    NDArray kv = cpu.get().create(v, new Shape(1, hkv, 1, 2));
    NDArray rep = TextOps.repeatKv(kv, groups);
    assertEquals(new Shape(1, hkv * groups, 1, 2), rep.getShape());
    float[] got = rep.toFloatArray();
    for (int h = 0; h < hkv * groups; h++) {
      assertEquals(h / groups, got[2 * h], 0);
      assertEquals(10 + h / groups, got[2 * h + 1], 0);
    }
  }

  @Test
  void quickGeluIsZTimesSigmoid1702Z() {
    float[] z = random(20, 4);
    float[] got = ClipTextEncoder.quickGelu(cpu.get().create(z)).toFloatArray();
    for (int i = 0; i < z.length; i++) {
      assertEquals(z[i] / (1 + Math.exp(-1.702 * z[i])), got[i], 1e-6);
    }
  }

  @Test
  void causalMaskWithPastAllowsEarlierKeysOnly() {
    float[] mk = TextOps.causalMask(cpu.get(), 2, 3).toFloatArray(); // queries at positions 3, 4 over keys 0..4
    float[] expect = {0, 0, 0, 0, -Float.MAX_VALUE, 0, 0, 0, 0, 0};
    assertArrayEquals(expect, mk);
  }
}
