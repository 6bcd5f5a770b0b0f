package org.k5spark.eval.stats;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.AlternativeHypothesis;
import org.apache.commons.math3.stat.inference.BinomialTest;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/** Two-sided paired significance tests. All return p-values in [0,1]; 1.0 when there is no evidence at all. */
public final class PairedTests {
  /** Up to this many non-zero differences (and no tied ranks) the exact null distribution is used. */
  static final int EXACT_LIMIT = 50;

  /**
   * Two-sided Wilcoxon signed-rank test of a vs b, the same answer as R's {@code wilcox.test(paired=TRUE)}
   * and scipy's {@code wilcoxon(zero_method="wilcox", correction=True)}: zero differences are dropped,
   * |d| ranked with average ranks (commons-math3 NaturalRanking). Exact p (subset-sum count of the rank
   * sums) for up to 50 differences without tied ranks, else the normal approximation with tie and
   * continuity correction. Not commons-math3's own test: it counts zero differences against A and its
   * exact p enumerates all 2^n sign patterns (minutes at n = 30).
   */
  public static double wilcoxon(double[] a, double[] b) {
    requireSameLength(a, b);
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        n++;
      }
    }
    if (n == 0) {
      return 1.0;
    }
    double[] d = new double[n];
    double[] abs = new double[n];
    for (int i = 0, k = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        d[k] = a[i] - b[i];
        abs[k] = Math.abs(d[k]);
        k++;
      }
    }
    double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(abs);
    double wPlus = 0;
    boolean tied = false;
    for (int i = 0; i < n; i++) {
      if (d[i] > 0) {
        wPlus += ranks[i];
      }
      tied |= ranks[i] != Math.rint(ranks[i]);
    }
    double[] sorted = abs.clone();
    java.util.Arrays.sort(sorted);
    double tieTerm = 0;
    for (int i = 0; i < n;) {
      int j = i;
      while (j < n && sorted[j] == sorted[i]) {
        j++;
      }
      double t = j - i;
      tied |= t > 1;
      tieTerm += t * t * t - t;
      i = j;
    }
    double total = n * (n + 1) / 2.0;
    if (!tied && n <= EXACT_LIMIT) {
      return Math.min(1.0, 2 * exactLowerTail(n, (int) Math.min(wPlus, total - wPlus)));
    }
    double mean = total / 2;
    double sd = Math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0 - tieTerm / 48.0);
    if (sd == 0) {
      return 1.0;
    }
    double diff = wPlus - mean;
    double z = (diff - 0.5 * Math.signum(diff)) / sd;
    NormalDistribution norm = new NormalDistribution(null, 0, 1);
    return Math.min(1.0, 2 * norm.cumulativeProbability(-Math.abs(z)));
  }

  /** P(W+ <= w) under H0 for n untied ranks: count subsets of {1..n} by sum (counts fit a double up to 2^53). */
  private static double exactLowerTail(int n, int w) {
    int max = n * (n + 1) / 2;
    double[] count = new double[max + 1];
    count[0] = 1;
    for (int r = 1; r <= n; r++) {
      for (int s = max; s >= r; s--) {
        count[s] += count[s - r];
      }
    }
    double c = 0;
    for (int s = 0; s <= w; s++) {
      c += count[s];
    }
    return c / Math.pow(2, n);
  }

  /** Two-sided sign test on wins vs losses (ties carry no sign and are left out). */
  public static double signTest(WinTieLoss wtl) {
    int n = wtl.wins() + wtl.losses();
    if (n == 0) {
      return 1.0;
    }
    return new BinomialTest().binomialTest(n, wtl.wins(), 0.5, AlternativeHypothesis.TWO_SIDED);
  }

  /**
   * Paired sign-flip permutation test of the mean difference (a - b): under H0 each difference is
   * equally likely to have either sign. Monte-Carlo with a fixed seed; p = (hits + 1) / (R + 1).
   */
  public static double permutation(double[] a, double[] b, int resamples, long seed) {
    requireSameLength(a, b);
    int n = a.length;
    if (n == 0) {
      return 1.0;
    }
    double[] d = new double[n];
    double observed = 0;
    for (int i = 0; i < n; i++) {
      d[i] = a[i] - b[i];
      observed += d[i];
    }
    observed = Math.abs(observed);
    // relative slack so floating-point reordering does not turn an equal statistic into a miss
    double slack = 1e-12 * Math.max(1.0, observed);
    RandomGenerator rng = new Well19937c(seed);
    int hits = 0;
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += rng.nextBoolean() ? d[i] : -d[i];
      }
      if (Math.abs(s) >= observed - slack) {
        hits++;
      }
    }
    return (hits + 1.0) / (resamples + 1.0);
  }

  private static void requireSameLength(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired samples differ in length: " + a.length + " vs " + b.length);
    }
  }
}
