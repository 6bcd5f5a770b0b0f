package org.k5spark.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void winTieLossWithMarginAndDirection() {
    MetricPolicy p = MetricPolicy.defaults().with("q", Direction.HIGHER_IS_BETTER, 0.01)
        .with("cost", Direction.LOWER_IS_BETTER, 0.5);
    double[] a = {0.90, 0.80, 0.70, 0.60, 0.50};
    double[] b = {0.85, 0.80, 0.72, 0.605, 0.40};
    List<Outcome> o = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      o.add(p.judge("q", a[i], b[i]));
    }
    assertEquals(List.of(Outcome.WIN, Outcome.TIE, Outcome.LOSS, Outcome.TIE, Outcome.WIN), o);
    WinTieLoss wtl = WinTieLoss.of(o);
    assertEquals(new WinTieLoss(2, 2, 1), wtl);
    assertEquals(0.6, wtl.winRate(), 1e-12);
    assertEquals(0.4, wtl.tieShare(), 1e-12);
    assertEquals(Outcome.WIN, p.judge("cost", 10, 12));
    assertEquals(Outcome.TIE, p.judge("cost", 10, 10.4));
    assertEquals(Outcome.LOSS, p.judge("cost", 12, 10));
    // descriptive stats have no direction, substitutes inherit their base metric's rule
    assertNull(p.judge("brightness", 0.9, 0.1));
    assertEquals(Outcome.TIE, p.judge("temporal_flickering@x", 0.9905, 0.9900));
    assertEquals(Outcome.WIN, p.judge("dynamic_degree", 1, 0));
    assertThrows(IllegalArgumentException.class, () -> p.with("q", Direction.NONE, -1));
  }

  @Test
  void bootstrapUsesItsSeedAsTheResamplingStream() {
    // Independent oracle: draw the resample indices from a fresh Well19937c(seed) exactly as the class
    // documents, take each resample's mean, sort, and read the R-7 (numpy) 2.5 % / 97.5 % quantiles by hand.
    // A class that ignored its seed (fixed seed, shared or time-seeded generator) gives other bounds.
    double[] x = {3.1, 0.4, 7.7, 2.2, 9.0, 5.5, 1.3, 6.8, 4.6, 8.9, 0.7, 2.9};
    for (long seed : new long[] {7L, 8L, 20251125L}) {
      double[] expected = oracleMeanCi(x, 300, seed, 0.95);
      ConfidenceInterval ci = new Bootstrap(300, seed, 0.95).mean(x);
      assertEquals(expected[0], ci.lower(), 1e-12, "lower bound, seed " + seed);
      assertEquals(expected[1], ci.upper(), 1e-12, "upper bound, seed " + seed);
    }
    ConfidenceInterval seven = new Bootstrap(300, 7L, 0.95).mean(x);
    ConfidenceInterval eight = new Bootstrap(300, 8L, 0.95).mean(x);
    assertEquals(seven.estimate(), eight.estimate(), 0, "the estimate is the full-sample mean");
    assertNotEquals(seven.lower(), eight.lower(), "another seed resamples differently");
    assertNotEquals(seven.upper(), eight.upper(), "another seed resamples differently");
  }

  /** {lower, upper} of the percentile bootstrap CI of the mean, written out independently of Bootstrap. */
  private static double[] oracleMeanCi(double[] x, int resamples, long seed, double level) {
    org.apache.commons.math3.random.Well19937c rng = new org.apache.commons.math3.random.Well19937c(seed);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        sum += x[rng.nextInt(x.length)];
      }
      means[r] = sum / x.length;
    }
    java.util.Arrays.sort(means);
    double alpha = (1 - level) / 2;
    return new double[] {r7(means, alpha), r7(means, 1 - alpha)};
  }

  /** numpy.quantile's default: linear interpolation at h = (n - 1) q. */
  private static double r7(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  @Test
  void bootstrapCiMatchesNormalTheoryAndIsDeterministic() {
    // 400 values, half 0 and half 1: mean 0.5, standard error 0.025 → 95% CI ≈ 0.5 ± 0.049
    double[] x = new double[400];
    for (int i = 0; i < 200; i++) {
      x[i] = 1;
    }
    Bootstrap bs = new Bootstrap(4000, 7L, 0.95);
    ConfidenceInterval ci = bs.mean(x);
    assertEquals(0.5, ci.estimate(), 1e-12);
    assertEquals(0.451, ci.lower(), 0.008);
    assertEquals(0.549, ci.upper(), 0.008);
    assertEquals(ci, bs.mean(x), "same seed, same interval");

    // constant data: the interval collapses to the point
    ConfidenceInterval c = bs.mean(new double[] {0.7, 0.7, 0.7});
    assertEquals(0.7, c.lower(), 1e-12);
    assertEquals(0.7, c.upper(), 1e-12);

    // all wins → [1,1]; 3 wins 2 ties 1 loss → estimate (3+1)/6
    assertEquals(1.0, bs.winRate(Collections.nCopies(5, Outcome.WIN)).lower(), 0);
    ConfidenceInterval wr = bs.winRate(List.of(Outcome.WIN, Outcome.WIN, Outcome.WIN, Outcome.TIE, Outcome.TIE,
        Outcome.LOSS));
    assertEquals(4.0 / 6, wr.estimate(), 1e-12);
    assertTrue(wr.lower() < wr.estimate() && wr.upper() > wr.estimate());
    assertTrue(Double.isNaN(bs.mean(new double[0]).estimate()));
  }

  @Test
  void exactTestValues() {
    // n=5, every difference positive: exact two-sided Wilcoxon p = 2/2^5; zero differences are dropped
    double[] a = {1.1, 2.2, 3.3, 4.4, 5.5, 7};
    double[] b = {1.0, 2.0, 3.0, 4.0, 5.0, 7};
    assertEquals(0.0625, PairedTests.wilcoxon(a, b), 1e-12);
    assertEquals(1.0, PairedTests.wilcoxon(b, b), 0);
    // R's wilcox.test example (Hollander & Wolfe, depression scale), paired, exact: p = 0.0390625 (scipy agrees)
    double[] x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
    double[] y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
    assertEquals(0.0390625, PairedTests.wilcoxon(x, y), 1e-12);
    // 40 pairs with zeros and tied ranks → normal approximation with tie + continuity correction;
    // references from scipy.stats.wilcoxon(zero_method="wilcox", correction=True, method="approx")
    double[] u = new double[40];
    double[] v = new double[40];
    double[] w = new double[40];
    for (int i = 0; i < 40; i++) {
      u[i] = i % 7;
      v[i] = (i * 3) % 5;
      w[i] = v[i] + 1;
    }
    assertEquals(0.034771428750606063, PairedTests.wilcoxon(u, v), 1e-12);
    assertEquals(0.723678536148888, PairedTests.wilcoxon(u, w), 1e-12);
    // 30 untied differences: exact distribution (scipy method="exact": 0.42795460671186447)
    double[] e = new double[30];
    double[] f = new double[30];
    for (int i = 0; i < 30; i++) {
      e[i] = i;
      f[i] = i + ((i * 7) % 31 - 13.25);
    }
    assertEquals(0.42795460671186447, PairedTests.wilcoxon(e, f), 1e-12);
    // sign test: 8 wins, 3 ties, 0 losses → 2 * 0.5^8
    assertEquals(2.0 / 256, PairedTests.signTest(new WinTieLoss(8, 3, 0)), 1e-12);
    assertEquals(1.0, PairedTests.signTest(new WinTieLoss(0, 4, 0)), 0);
    // sign-flip permutation of 5 positive differences: exact p = 2/32, Monte Carlo within noise
    assertEquals(0.0625, PairedTests.permutation(a, b, 20000, 3L), 0.006);
  }

  @Test
  void pairedTestsDetectPlantedDifferenceAndNotNull() {
    Random rnd = new Random(42);
    int n = 60;
    double[] base = new double[n];
    double[] planted = new double[n];
    double[] nullB = new double[n];
    for (int i = 0; i < n; i++) {
      base[i] = 0.8 + 0.1 * rnd.nextGaussian();
      planted[i] = base[i] + 0.02 + 0.01 * rnd.nextGaussian();
      nullB[i] = base[i] + 0.01 * rnd.nextGaussian();
    }
    assertTrue(PairedTests.wilcoxon(planted, base) < 1e-6, "planted shift of 2 sd must be detected");
    assertTrue(PairedTests.permutation(planted, base, 5000, 1L) < 0.001);
    double pNull = PairedTests.wilcoxon(nullB, base);
    assertTrue(pNull > 0.05, "no shift must not be significant, p=" + pNull);
    assertTrue(PairedTests.permutation(nullB, base, 5000, 1L) > 0.05);
  }

  @Test
  void groupsCountAVideoForEachConceptLabel() {
    record Item(String id, List<String> concepts, String motion) { }
    List<Item> items = List.of(new Item("p1", List.of("animal", "scene"), "low"),
        new Item("p2", List.of("animal"), "high"), new Item("p3", List.of("scene"), "low"),
        new Item("p4", List.of(), ""));
    Map<Group, List<Item>> g = Group.split(items, Item::concepts, Item::motion);
    assertEquals(4, g.get(Group.OVERALL).size());
    assertEquals(List.of("p1", "p2"), g.get(new Group(Group.Kind.CONCEPT, "animal")).stream().map(Item::id).toList());
    assertEquals(List.of("p1", "p3"), g.get(new Group(Group.Kind.CONCEPT, "scene")).stream().map(Item::id).toList());
    assertEquals(2, g.get(new Group(Group.Kind.MOTION, "low")).size());
    assertEquals(1, g.get(new Group(Group.Kind.MOTION, "high")).size());
    assertEquals(5, g.size());
  }
}
