package org.k5spark.eval.stats;

/** A point estimate with a two-sided interval at {@code level} (e.g. 0.95). NaN bounds when n = 0. */
public record ConfidenceInterval(double estimate, double lower, double upper, double level) {
  public static ConfidenceInterval empty(double level) {
    return new ConfidenceInterval(Double.NaN, Double.NaN, Double.NaN, level);
  }

  public boolean contains(double x) {
    return x >= lower && x <= upper;
  }
}
