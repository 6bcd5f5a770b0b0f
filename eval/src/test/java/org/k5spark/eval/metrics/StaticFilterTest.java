package org.k5spark.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.k5spark.eval.SyntheticVideos;
import org.k5spark.eval.flow.FarnebackFlow;

class StaticFilterTest {
  @Test
  void thresholdsFollowVBench() {
    assertEquals(6.0, StaticFilter.threshold(512, 768), 1e-12);
    assertEquals(15, StaticFilter.countNum(121)); // rint(15.125)
    assertEquals(2, StaticFilter.countNum(12)); // rint(1.5) = 2
    assertEquals(2, StaticFilter.countNum(20)); // rint(2.5) = 2 (half to even)
  }

  @Test
  void decisionLogic() {
    // 3 consecutive pairs + first->last, last->first; count_num 1, threshold 1
    assertTrue(StaticFilter.isStatic(new double[] {0, 5, 0, 0.5, 0.5}, 1, 1)); // one moving pair is allowed
    assertFalse(StaticFilter.isStatic(new double[] {5, 5, 0, 0.5, 0.5}, 1, 1)); // two is "more than count_num"
    assertTrue(StaticFilter.isStatic(new double[] {0, 5, 0, 2.0, 2.0}, 1, 1)); // first<->last limit is 1*1*2 = 2
    assertFalse(StaticFilter.isStatic(new double[] {0, 5, 0, 2.1, 0}, 1, 1));
  }

  @Test
  void stillIsKeptMovingSquareIsNot() {
    StaticFilter f = new StaticFilter(new FarnebackFlow());
    assertTrue(f.compute(SyntheticVideos.still(10, 64, 64, 24)).get(0).flag());
    assertFalse(f.compute(SyntheticVideos.movingSquare(10, 64, 64, 24, 20, 4, 20, 2, 0)).get(0).flag());
  }

  @Test
  void formatCheckReportsMismatches() {
    FormatCheck check = new FormatCheck(121, 24.0, 768, 512);
    MetricResult ok = new FormatCheck(3, 24.0, 8, 6).compute(SyntheticVideos.constantFrames(6, 8, 24, 1, 2, 3)).get(0);
    assertTrue(ok.flag());
    MetricResult bad = check.compute(SyntheticVideos.constantFrames(6, 8, 24, 1, 2, 3)).get(0);
    assertFalse(bad.flag());
    assertEquals(List.of("frames 3 != 121", "size 8x6 != 768x512"), bad.details().get("mismatches"));
  }
}
