package org.k5spark.eval.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.stats.Group;

/** K=3 runs: compare pairs prompts on their sample means, and (prompt, sample) where the seeds are shared. */
class SamplePairsTest {
  /** aesthetic_quality of samples 0..2 of prompts p1..p3; a NaN sample failed. Seeds 100p + k. */
  static RunTable run(String id, double[][] values, long seedOffset) {
    List<VideoScore> v = new ArrayList<>();
    for (int p = 0; p < values.length; p++) {
      for (int k = 0; k < values[p].length; k++) {
        boolean failed = Double.isNaN(values[p][k]);
        v.add(new VideoScore(id, "p" + (p + 1), k, "prompt " + (p + 1), List.of(p == 0 ? "animal" : "scene"), "low",
            100L * (p + 1) + k + seedOffset, failed ? "failed" : "ok", null,
            failed ? Map.of() : Map.of("aesthetic_quality", values[p][k]), 1.0));
      }
    }
    return new RunTable(id, Map.of(), v);
  }

  static final double[][] A = {{0.1, 0.2, 0.3}, {0.4, 0.4, 0.4}, {0.9, Double.NaN, Double.NaN}};
  static final double[][] B = {{0.2, 0.2, 0.2}, {0.3, 0.5, 0.4}, {0.6, 0.7, 0.8}};

  @Test
  void promptRowsAverageSamplesFirstAndSampleRowsPairMatchedSeeds() {
    Bootstrap boot = Bootstrap.defaults();
    PairComparison pc = CompareRuns.defaults().compare(List.of(run("a", A, 0), run("b", B, 0)), List.of()).pairs()
        .get(0);
    MetricRow prompts = pc.row("aesthetic_quality", Group.OVERALL);
    assertEquals(3, prompts.n(), "3 prompts");
    // A's prompt means 0.2, 0.4, 0.9 (p3: its one scored sample); B's 0.2, 0.4, 0.7
    assertEquals(0.5, prompts.meanA().estimate(), 1e-12);
    assertEquals(boot.mean(new double[] {0.2, 0.4, 0.9}).lower(), prompts.meanA().lower(), 1e-12,
        "CI over the 3 prompt means");
    assertEquals(boot.mean(new double[] {0.2, 0.4, 0.9}).upper(), prompts.meanA().upper(), 1e-12);
    assertEquals(0.2 / 3, prompts.meanDiff().estimate(), 1e-12);

    MetricRow samples = pc.row("sample:aesthetic_quality", Group.OVERALL);
    assertEquals("sample", samples.source());
    assertEquals(7, samples.n(), "7 samples scored in both");
    assertEquals(2, samples.missing(), "p3's failed samples 1 and 2");
    // per-sample diffs: p1 -0.1, 0, 0.1; p2 0.1, -0.1, 0; p3 0.3 -> mean 0.3/7
    assertEquals(0.3 / 7, samples.meanDiff().estimate(), 1e-12);
    // aesthetic tie margin 0.01: wins p1/2, p2/0, p3/0; losses p1/0, p2/1; ties p1/1, p2/2
    assertEquals(3, samples.wtl().wins());
    assertEquals(2, samples.wtl().ties());
    assertEquals(2, samples.wtl().losses());
    assertTrue(Double.isNaN(samples.wilcoxonP()), "no test that assumes independent samples");
    double[][] clusters = {{-0.1, 0, 0.1}, {0.1, -0.1, 0}, {0.3}};
    assertEquals(boot.clusteredMean(clusters).lower(), samples.meanDiff().lower(), 1e-12);
    MetricRow scene = pc.row("sample:aesthetic_quality", new Group(Group.Kind.CONCEPT, "scene"));
    assertEquals(4, scene.n(), "scene: p2's 3 samples and p3's scored one");
    assertEquals(2, scene.missing());
  }

  @Test
  void noSampleRowsWhenSeedsDiffer() {
    RunTable a = run("a", A, 0);
    RunTable b = run("b", B, 7);
    assertEquals(List.of(), SamplePairs.matched(a, b));
    PairComparison pc = CompareRuns.defaults().compare(List.of(a, b), List.of()).pairs().get(0);
    assertNull(pc.row("sample:aesthetic_quality", Group.OVERALL));
    assertEquals(3, pc.row("aesthetic_quality", Group.OVERALL).n(), "prompt pairing still works");
  }

  @Test
  void clusteredBootstrapResamplesWholePrompts() {
    Bootstrap boot = new Bootstrap(500, 1L, 0.9);
    // two clusters of very different size: resampling clusters can only give 1.0, 3.0 or the pooled 2.8
    var ci = boot.clusteredMean(new double[][] {{1.0}, {3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0}});
    assertEquals(2.8, ci.estimate(), 1e-12);
    assertEquals(1.0, ci.lower(), 1e-12);
    assertEquals(3.0, ci.upper(), 1e-12);
  }
}
