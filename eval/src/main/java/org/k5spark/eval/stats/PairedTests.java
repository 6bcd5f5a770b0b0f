package org.k5spark.eval.stats;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.AlternativeHypothesis;
import org.apache.commons.math3.stat.inference.BinomialTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/** Two-sided paired significance tests. All return p-values in [0,1]; 1.0 when there is no evidence at all. */
public final class PairedTests {
  /** Below this many non-zero differences commons-math3 computes the exact Wilcoxon distribution. */
  private static final int EXACT_LIMIT = 30;

  private PairedTests() {
  }

  /**
   * Wilcoxon signed-rank test of a vs b. Zero differences are dropped first (Wilcoxon's original
   * treatment, R's default): commons-math3 would otherwise rank them and count them against A.
   * Exact p for up to 30 non-zero pairs, normal approximation above.
   */
  public static double wilcoxon(double[] a, double[] b) {
    requireSameLength(a, b);
    int nz = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        nz++;
      }
    }
    if (nz == 0) {
      return 1.0;
    }
    double[] x = new double[nz];
    double[] y = new double[nz];
    for (int i = 0, k = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        x[k] = a[i];
        y[k++] = b[i];
      }
    }
    double p = new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, nz <= EXACT_LIMIT);
    return Math.min(1.0, p);
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
