package org.k5spark.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.SyntheticVideos;

/** The whole default set on clips with known character: still, moving square, per-frame noise. */
class MetricRankingTest {
  private static final MetricSet SET = MetricSet.classicalDefaults();

  @Test
  void noiseIsWorstStillIsBest() {
    Map<String, MetricResult> still = SET.run(SyntheticVideos.still(13, 64, 96, 24));
    Map<String, MetricResult> square = SET.run(SyntheticVideos.movingSquare(13, 64, 96, 24, 24, 8, 20, 2, 0));
    Map<String, MetricResult> noise = SET.run(SyntheticVideos.noise(13, 64, 96, 24, 42));
    for (String m : List.of("temporal_flickering", "motion_smoothness")) {
      double s = still.get(m).number();
      double q = square.get(m).number();
      double n = noise.get(m).number();
      System.out.printf("%s: still %.4f square %.4f noise %.4f%n", m, s, q, n);
      assertTrue(n < q && n < s, m);
    }
    // flickering charges motion; smoothness does not (the square's motion is a perfect translation)
    assertTrue(square.get("temporal_flickering").number() < 1.0);
    assertEquals(1.0, square.get("motion_smoothness").number(), 1e-3);
    assertEquals(1.0, still.get("motion_smoothness").number(), 1e-3);
    assertEquals(1.0, still.get("temporal_flickering").number(), 0.0);
    // uniform noise: E|a-b| = 85.3 for independent uniform bytes -> (255 - 85.3) / 255 ~ 0.665
    assertEquals(0.665, noise.get("temporal_flickering").number(), 0.01);
    assertFalse(still.get("dynamic_degree").flag());
    assertTrue(square.get("dynamic_degree").flag());
  }

  @Test
  void defaultSetReportsVBenchNamesInOrderWithEstimators() {
    Map<String, MetricResult> r = SET.run(SyntheticVideos.still(5, 16, 16, 24));
    assertEquals(List.of("temporal_flickering", "motion_smoothness", "dynamic_degree", "subject_consistency",
        "background_consistency", "aesthetic_quality", "text_video_alignment"), r.keySet().stream().limit(7).toList());
    for (String m : List.of("subject_consistency", "background_consistency", "aesthetic_quality", "text_video_alignment")) {
      assertFalse(r.get(m).computed(), m);
      assertTrue(r.get(m).notComputedReason().startsWith("no weights"), m);
    }
    for (MetricResult m : r.values()) {
      assertFalse(m.estimator() == null || m.estimator().isBlank(), m.name());
    }
  }
}
