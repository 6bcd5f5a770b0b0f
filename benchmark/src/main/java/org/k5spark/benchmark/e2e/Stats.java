package org.k5spark.benchmark.e2e;

import java.util.Arrays;

/** Summary statistics of repeated timings; median by linear interpolation, sample standard deviation. */
public record Stats(int n, double mean, double median, double min, double max, double stdev) {
  public static Stats of(double... xs) {
    if (xs.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElseThrow();
    double var = 0;
    for (double x : s) {
      var += (x - mean) * (x - mean);
    }
    double stdev = s.length > 1 ? Math.sqrt(var / (s.length - 1)) : 0;
    return new Stats(s.length, mean, quantile(s, 0.5), s[0], s[s.length - 1], stdev);
  }

  /** The q-quantile of sorted values (type 7, as NumPy's default). */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
