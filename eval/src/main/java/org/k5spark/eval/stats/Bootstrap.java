package org.k5spark.eval.stats;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Percentile bootstrap over paired items (resampling whole items with replacement, so the pairing
 * survives). Deterministic: every call starts a fresh Well19937c from {@code seed}, so the same
 * input gives the same interval on every machine.
 */
public final class Bootstrap {
  private final int resamples;
  private final long seed;
  private final double level;

  public Bootstrap(int resamples, long seed, double level) {
    if (resamples < 1) {
      throw new IllegalArgumentException("bootstrap resamples must be >= 1, got " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level must be in (0,1), got " + level);
    }
    this.resamples = resamples;
    this.seed = seed;
    this.level = level;
  }

  /** 2000 resamples, seed 20251125, 95%. */
  public static Bootstrap defaults() {
    return new Bootstrap(2000, 20251125L, 0.95);
  }

  public int resamples() {
    return resamples;
  }

  public long seed() {
    return seed;
  }

  public double level() {
    return level;
  }

  /** CI of the mean of {@code x}. */
  public ConfidenceInterval mean(double[] x) {
    return statistic(x, Bootstrap::meanOf);
  }

  /** CI of the win rate (W + T/2)/N over paired outcomes. */
  public ConfidenceInterval winRate(List<Outcome> outcomes) {
    double[] scores = new double[outcomes.size()];
    for (int i = 0; i < scores.length; i++) {
      Outcome o = outcomes.get(i);
      scores[i] = o == Outcome.WIN ? 1.0 : o == Outcome.TIE ? 0.5 : 0.0;
    }
    return mean(scores);
  }

  /** Percentile CI of any statistic of a sample; the estimate is the statistic of the full sample. */
  public ConfidenceInterval statistic(double[] x, java.util.function.ToDoubleFunction<double[]> stat) {
    if (x.length == 0) {
      return ConfidenceInterval.empty(level);
    }
    RandomGenerator rng = new Well19937c(seed);
    double[] stats = new double[resamples];
    double[] sample = new double[x.length];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < x.length; i++) {
        sample[i] = x[rng.nextInt(x.length)];
      }
      stats[r] = stat.applyAsDouble(sample);
    }
    Arrays.sort(stats);
    double alpha = (1 - level) / 2;
    // R-7 (linear interpolation) quantiles, the same definition as numpy.quantile's default
    Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
    p.setData(stats);
    return new ConfidenceInterval(stat.applyAsDouble(x), p.evaluate(alpha * 100), p.evaluate((1 - alpha) * 100), level);
  }

  /**
   * CI of the mean over all items of {@code clusters}, resampling whole clusters (a prompt's samples stay
   * together: they share the prompt and are not independent). The estimate is the mean over all items.
   */
  public ConfidenceInterval clusteredMean(double[][] clusters) {
    int items = 0;
    for (double[] c : clusters) {
      items += c.length;
    }
    if (items == 0) {
      return ConfidenceInterval.empty(level);
    }
    double[] sums = new double[clusters.length];
    double[] counts = new double[clusters.length];
    double total = 0;
    for (int i = 0; i < clusters.length; i++) {
      for (double d : clusters[i]) {
        sums[i] += d;
      }
      counts[i] = clusters[i].length;
      total += sums[i];
    }
    RandomGenerator rng = new Well19937c(seed);
    double[] stats = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      double n = 0;
      for (int i = 0; i < clusters.length; i++) {
        int k = rng.nextInt(clusters.length);
        s += sums[k];
        n += counts[k];
      }
      stats[r] = n == 0 ? Double.NaN : s / n;
    }
    Arrays.sort(stats);
    double alpha = (1 - level) / 2;
    Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
    p.setData(stats);
    return new ConfidenceInterval(total / items, p.evaluate(alpha * 100), p.evaluate((1 - alpha) * 100), level);
  }

  static double meanOf(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s / v.length;
  }
}
