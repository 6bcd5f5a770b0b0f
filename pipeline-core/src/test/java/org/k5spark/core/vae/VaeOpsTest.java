package org.k5spark.core.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.k5spark.core.testing.CpuManager;

/**
 * The libtorch-backed layer functions against plain-Java loops written from the reference's definitions
 * (replicate / causal padding, GroupNorm, the causal upsampler's split-interpolate-cat), on shapes that take
 * both conv kernels and the single-frame upsampling the golden cases do not reach.
 */
class VaeOpsTest {
  @RegisterExtension
  static final CpuManager cpu = new CpuManager();

  @Test
  void causalConvMatchesReplicatePaddedLoopsOnBothKernels() {
    // 3 x 4 x 6 at 4 channels: libtorch's own conv3d; 5 x 24 x 24 at 8 channels: oneDNN (see ONEDNN_MIN_MACS)
    int[][] shapes = {{4, 5, 3, 4, 6}, {8, 8, 5, 24, 24}};
    for (int[] s : shapes) {
      int ci = s[0];
      int co = s[1];
      int t = s[2];
      int h = s[3];
      int w = s[4];
      assertEquals(t * h * w * (long) ci * co * 27 >= VaeOps.ONEDNN_MIN_MACS, ci == 8, "test shapes must hit both kernels");
      float[] x = random(ci * t * h * w, 1);
      float[] k = random(co * ci * 27, 2);
      float[] b = random(co, 3);
      try (NDManager s2 = cpu.get().newSubManager()) {
        NDArray y = VaeOps.causalConv(s2.create(x, new Shape(1, ci, t, h, w)), s2.create(k, new Shape(co, ci, 3, 3, 3)),
            s2.create(b, new Shape(co)));
        assertArrayEquals(new long[] {1, co, t, h, w}, y.getShape().getShape());
        float[] got = y.toFloatArray();
        double maxErr = 0;
        for (int o = 0; o < co; o++) {
          for (int f = 0; f < t; f++) {
            for (int yy = 0; yy < h; yy++) {
              for (int xx = 0; xx < w; xx++) {
                double acc = b[o];
                for (int i = 0; i < ci; i++) {
                  for (int dt = 0; dt < 3; dt++) {
                    int sf = Math.max(f + dt - 2, 0); // kt-1 copies of frame 0 in front
                    for (int dy = 0; dy < 3; dy++) {
                      int sy = clamp(yy + dy - 1, h);
                      for (int dx = 0; dx < 3; dx++) {
                        int sx = clamp(xx + dx - 1, w);
                        acc += k[(((o * ci + i) * 3 + dt) * 3 + dy) * 3 + dx] * x[((i * t + sf) * h + sy) * w + sx];
                      }
                    }
                  }
                }
                maxErr = Math.max(maxErr, Math.abs(acc - got[((o * t + f) * h + yy) * w + xx]));
              }
            }
          }
        }
        assertTrue(maxErr < 1e-4, "causal conv " + ci + "->" + co + " " + t + "x" + h + "x" + w + ": max error " + maxErr);
      }
    }
  }

  @Test
  void groupNormMatchesPerGroupStatistics() {
    int c = 8;
    int groups = 4;
    int n = 3 * 5 * 7;
    float[] x = random(c * n, 4);
    for (int i = 0; i < x.length; i++) {
      x[i] = x[i] * 3 + (i / n) * 0.5f; // groups with different means and spreads
    }
    float[] gamma = random(c, 5);
    float[] beta = random(c, 6);
    try (NDManager s = cpu.get().newSubManager()) {
      float[] got = VaeOps.groupNorm(s.create(x, new Shape(1, c, 3, 5, 7)), s.create(gamma), s.create(beta), groups)
          .toFloatArray();
      int per = c / groups * n;
      for (int g = 0; g < groups; g++) {
        double mean = 0;
        for (int i = g * per; i < (g + 1) * per; i++) {
          mean += x[i];
        }
        mean /= per;
        double var = 0;
        for (int i = g * per; i < (g + 1) * per; i++) {
          var += (x[i] - mean) * (x[i] - mean);
        }
        var /= per; // biased, like nn.GroupNorm
        for (int i = g * per; i < (g + 1) * per; i++) {
          int ch = i / n;
          double want = (x[i] - mean) / Math.sqrt(var + VaeOps.NORM_EPS) * gamma[ch] + beta[ch];
          assertEquals(want, got[i], 1e-5, "element " + i);
        }
      }
    }
  }

  @Test
  void upsampleRepeatsFrameZeroSpatiallyOnlyAndTheRestFully() {
    int[][] cases = {{2, 2, 2, 3}, {2, 2, 2, 1}, {1, 2, 2, 3}}; // (ft, fh, fw, frames)
    for (int[] u : cases) {
      int ft = u[0];
      int fh = u[1];
      int fw = u[2];
      int t = u[3];
      int c = 2;
      int h = 3;
      int w = 4;
      float[] x = random(c * t * h * w, 7);
      try (NDManager s = cpu.get().newSubManager()) {
        NDArray y = VaeOps.upsampleNearest(s.create(x, new Shape(1, c, t, h, w)), ft, fh, fw);
        int to = 1 + ft * (t - 1);
        assertArrayEquals(new long[] {1, c, to, h * fh, w * fw}, y.getShape().getShape());
        float[] got = y.toFloatArray();
        for (int ch = 0; ch < c; ch++) {
          for (int f = 0; f < to; f++) {
            int sf = f == 0 ? 0 : 1 + (f - 1) / ft; // frame 0 alone, then frames 1.. each ft times
            for (int yy = 0; yy < h * fh; yy++) {
              for (int xx = 0; xx < w * fw; xx++) {
                float want = x[((ch * t + sf) * h + yy / fh) * w + xx / fw];
                assertEquals(want, got[((ch * to + f) * h * fh + yy) * w * fw + xx], 0f,
                    "ft=" + ft + " T=" + t + " at " + ch + "," + f + "," + yy + "," + xx);
              }
            }
          }
        }
      }
    }
  }

  private static int clamp(int i, int n) {
    return Math.min(Math.max(i, 0), n - 1);
  }

  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }
}
