package org.k5spark.eval.flow;

import java.util.Arrays;

/**
 * Dense optical flow from one frame to another: per pixel the displacement (u, v) in pixels, interleaved
 * as {@code uv[2*(y*width+x)] = u, uv[2*(y*width+x)+1] = v} (OpenCV's CV_32FC2 layout).
 */
public record FlowField(int height, int width, float[] uv) {
  public FlowField {
    if ((long) height * width * 2 != uv.length) {
      throw new IllegalArgumentException("flow has " + uv.length + " floats, expected " + height + "*" + width + "*2");
    }
  }

  public float u(int y, int x) {
    return uv[2 * (y * width + x)];
  }

  public float v(int y, int x) {
    return uv[2 * (y * width + x) + 1];
  }

  /** Per-pixel magnitude sqrt(u² + v²). */
  public float[] magnitudes() {
    float[] mag = new float[height * width];
    for (int i = 0; i < mag.length; i++) {
      float u = uv[2 * i];
      float v = uv[2 * i + 1];
      mag[i] = (float) Math.sqrt(u * u + v * v);
    }
    return mag;
  }

  /**
   * Mean of the {@code (int)(H*W*fraction)} largest magnitudes (VBench's {@code get_score}: 5% for
   * dynamic_degree, 2% for the static filter); 0 when that count is 0.
   */
  public double topFractionMean(double fraction) {
    float[] mag = magnitudes();
    int cut = (int) (height * width * fraction);
    if (cut <= 0) {
      return 0;
    }
    Arrays.sort(mag);
    double sum = 0;
    for (int i = mag.length - cut; i < mag.length; i++) {
      sum += mag[i];
    }
    return sum / cut;
  }
}
