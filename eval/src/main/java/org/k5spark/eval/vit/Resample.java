package org.k5spark.eval.vit;

/**
 * Separable 2-D resampling of planar float images with PyTorch's {@code F.interpolate} semantics
 * (align_corners=False, antialias=False): source coordinate {@code scale * (dst + 0.5) - 0.5};
 * bilinear clamps negative coordinates to 0, bicubic (A = -0.75) clamps tap indices to the border.
 * {@code scale} is input/output size, or 1/scale_factor when the caller passed a scale factor.
 */
public final class Resample {
  public enum Mode { BILINEAR, BICUBIC }

  private static final double A = -0.75;

  private Resample() {
  }

  /** Resizes {@code channels} planes of {@code inH x inW} to {@code outH x outW} with size-derived scales. */
  public static float[] resize(float[] src, int channels, int inH, int inW, int outH, int outW, Mode mode) {
    return resize(src, channels, inH, inW, outH, outW, mode, (double) inH / outH, (double) inW / outW);
  }

  public static float[] resize(float[] src, int channels, int inH, int inW, int outH, int outW, Mode mode,
      double scaleH, double scaleW) {
    // rows first along W, then along H; PyTorch computes the 2-D kernel as the product of both, which is the same
    // weighted sum up to float rounding order
    Taps tw = taps(inW, outW, scaleW, mode);
    Taps th = taps(inH, outH, scaleH, mode);
    float[] tmp = new float[channels * inH * outW];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < inH; y++) {
        int row = (c * inH + y) * inW;
        for (int x = 0; x < outW; x++) {
          double v = 0;
          for (int k = 0; k < tw.n; k++) {
            v += tw.weight[x * tw.n + k] * src[row + tw.index[x * tw.n + k]];
          }
          tmp[(c * inH + y) * outW + x] = (float) v;
        }
      }
    }
    float[] out = new float[channels * outH * outW];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          double v = 0;
          for (int k = 0; k < th.n; k++) {
            v += th.weight[y * th.n + k] * tmp[(c * inH + th.index[y * th.n + k]) * outW + x];
          }
          out[(c * outH + y) * outW + x] = (float) v;
        }
      }
    }
    return out;
  }

  private record Taps(int n, int[] index, double[] weight) {
  }

  private static Taps taps(int in, int out, double scale, Mode mode) {
    int n = mode == Mode.BILINEAR ? 2 : 4;
    int[] index = new int[out * n];
    double[] weight = new double[out * n];
    for (int d = 0; d < out; d++) {
      double real = scale * (d + 0.5) - 0.5;
      if (mode == Mode.BILINEAR) {
        real = Math.max(real, 0);
        int x0 = (int) real;
        int x1 = x0 + (x0 < in - 1 ? 1 : 0);
        double l1 = real - x0;
        index[d * 2] = x0;
        index[d * 2 + 1] = x1;
        weight[d * 2] = 1 - l1;
        weight[d * 2 + 1] = l1;
      } else {
        int x0 = (int) Math.floor(real);
        double t = real - x0;
        double[] w = cubicWeights(t);
        for (int k = 0; k < 4; k++) {
          index[d * 4 + k] = Math.min(Math.max(x0 - 1 + k, 0), in - 1);
          weight[d * 4 + k] = w[k];
        }
      }
    }
    return new Taps(n, index, weight);
  }

  /** Keys' cubic convolution weights for taps at offsets -1, 0, 1, 2 from floor(x). */
  static double[] cubicWeights(double t) {
    return new double[] {
        cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)};
  }

  private static double cubicNear(double x) {
    return ((A + 2) * x - (A + 3)) * x * x + 1;
  }

  private static double cubicFar(double x) {
    return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  }
}
