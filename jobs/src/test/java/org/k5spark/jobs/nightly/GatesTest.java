package org.k5spark.jobs.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.k5spark.eval.compare.CompareRuns;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;

/** The thresholds on fixed tables with known answers. */
class GatesTest {
  /** 10 prompts; metric value = base[i] + delta. */
  private static RunTable run(String id, double flickerDelta, double brightnessDelta) {
    List<VideoScore> v = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("temporal_flickering", 0.95 + 0.004 * i + flickerDelta);
      m.put("brightness", 0.4 + 0.01 * i + brightnessDelta);
      m.put("subject_consistency", null);
      v.add(new VideoScore(id, "p" + i, "prompt " + i, List.of("animal"), "low", 1L, "ok", null, m, 1.0));
    }
    return new RunTable(id, Map.of(), v);
  }

  private static PairComparison pair(RunTable a, RunTable b) {
    return CompareRuns.defaults().compare(List.of(a, b), List.of()).pairs().get(0);
  }

  private static Check check(List<Check> cs, String metric, String rule) {
    return cs.stream().filter(c -> c.metric().equals(metric) && c.rule().equals(rule)).findFirst().orElseThrow();
  }

  @Test
  void identicalRunsPass() {
    List<Check> cs = Gates.apply(pair(run("c", 0, 0), run("b", 0, 0)),
        Map.of("temporal_flickering", 0.005, "brightness", 0.05), true);
    assertEquals(3, cs.size(), "flickering: mean drop + win rate; brightness (no direction): shift only");
    cs.forEach(c -> assertFalse(c.regressed(), c.detail()));
    assertEquals(0.5, check(cs, "temporal_flickering", "win_rate").value(), 1e-12, "all ties: win rate exactly 50%");
  }

  @Test
  void aDropBeyondTheMarginAndALosingWinRateAreRegressions() {
    List<Check> cs = Gates.apply(pair(run("c", -0.01, 0), run("b", 0, 0)), Map.of("temporal_flickering", 0.005), true);
    Check drop = check(cs, "temporal_flickering", "mean_drop");
    assertTrue(drop.regressed());
    assertEquals(-0.01, drop.value(), 1e-9);
    Check win = check(cs, "temporal_flickering", "win_rate");
    assertTrue(win.regressed(), "lost on every prompt: CI upper bound 0");
    assertEquals(0.0, win.value(), 1e-12);
  }

  @Test
  void aSmallDropWithinTheMarginPassesTheMeanGate() {
    List<Check> cs = Gates.apply(pair(run("c", -0.003, 0), run("b", 0, 0)), Map.of("temporal_flickering", 0.005), false);
    assertEquals(1, cs.size(), "win-rate gate off");
    assertFalse(cs.get(0).regressed(), cs.get(0).detail());
  }

  @Test
  void descriptiveStatisticsAreGatedOnDriftEitherWay() {
    assertTrue(Gates.apply(pair(run("c", 0, 0.08), run("b", 0, 0)), Map.of("brightness", 0.05), true).get(0).regressed());
    assertTrue(Gates.apply(pair(run("c", 0, -0.08), run("b", 0, 0)), Map.of("brightness", 0.05), true).get(0).regressed());
    assertFalse(Gates.apply(pair(run("c", 0, 0.02), run("b", 0, 0)), Map.of("brightness", 0.05), true).get(0).regressed());
  }

  @Test
  void aGatedMetricWithoutValuesFailsInsteadOfCheckingNothing() {
    List<Check> cs = Gates.apply(pair(run("c", 0, 0), run("b", 0, 0)), Map.of("subject_consistency", 0.01), true);
    assertEquals(1, cs.size());
    assertTrue(cs.get(0).regressed());
    assertTrue(cs.get(0).detail().contains("no paired values"), cs.get(0).detail());
  }
}
