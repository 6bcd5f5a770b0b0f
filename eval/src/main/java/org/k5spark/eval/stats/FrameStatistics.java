package org.k5spark.eval.stats;

import org.k5spark.core.video.VideoFrames;

/**
 * Per-frame luma statistics (BT.601 luma, 0..255): mean (brightness), standard deviation (contrast),
 * variance of the 4-neighbour Laplacian (sharpness; larger = more high-frequency detail), and a
 * normalised luma histogram (for shot-cut detection, which should ignore motion).
 */
public record FrameStatistics(double meanLuma, double stdLuma, double laplacianVariance, double[] histogram) {
  public static final int HISTOGRAM_BINS = 32;

  public static FrameStatistics of(VideoFrames video, int frame) {
    int h = video.height();
    int w = video.width();
    float[] luma = luma(video, frame);
    double sum = 0;
    double sumSq = 0;
    double[] hist = new double[HISTOGRAM_BINS];
    for (float y : luma) {
      sum += y;
      sumSq += (double) y * y;
      hist[Math.min(HISTOGRAM_BINS - 1, (int) (y * HISTOGRAM_BINS / 256f))]++;
    }
    for (int b = 0; b < HISTOGRAM_BINS; b++) {
      hist[b] /= luma.length;
    }
    double mean = sum / luma.length;
    double var = Math.max(0, sumSq / luma.length - mean * mean);
    return new FrameStatistics(mean, Math.sqrt(var), laplacianVariance(luma, h, w), hist);
  }

  public static float[] luma(VideoFrames video, int frame) {
    byte[] rgb = video.rgb();
    int base = frame * video.frameBytes();
    float[] out = new float[video.height() * video.width()];
    for (int i = 0; i < out.length; i++) {
      int o = base + 3 * i;
      out[i] = 0.299f * (rgb[o] & 0xff) + 0.587f * (rgb[o + 1] & 0xff) + 0.114f * (rgb[o + 2] & 0xff);
    }
    return out;
  }

  /** Variance of {@code 4*p - up - down - left - right} over interior pixels (0 for frames under 3x3). */
  static double laplacianVariance(float[] luma, int h, int w) {
    if (h < 3 || w < 3) {
      return 0;
    }
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        int i = y * w + x;
        double lap = 4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w];
        sum += lap;
        sumSq += lap * lap;
        n++;
      }
    }
    double mean = sum / n;
    return Math.max(0, sumSq / n - mean * mean);
  }

  /** L1 distance of two normalised histograms, 0 (same) .. 2 (disjoint). */
  public double histogramDistance(FrameStatistics other) {
    double d = 0;
    for (int b = 0; b < HISTOGRAM_BINS; b++) {
      d += Math.abs(histogram[b] - other.histogram[b]);
    }
    return d;
  }
}
