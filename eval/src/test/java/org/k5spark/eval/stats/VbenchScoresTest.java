package org.k5spark.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VbenchScoresTest {
  @Test
  void publishedTotalFollowsFromQualityAndSemantic() {
    // Kandinsky 5 README radar: QS 0.8663, SS 0.792 → TS 0.8514
    assertEquals(0.8514, VbenchScores.total(0.8663, 0.792), 5e-5);
  }

  @Test
  void qualityScoreByHand() {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("subject_consistency", 0.95);
    s.put("background_consistency", 0.96);
    s.put("temporal_flickering", 0.98);
    s.put("motion_smoothness", 0.99);
    s.put("dynamic_degree", 0.5);
    s.put("aesthetic_quality", 0.6);
    s.put("imaging_quality", VbenchScores.dimensionScore("imaging_quality", new double[] {60, 70}));
    assertEquals(0.65, s.get("imaging_quality"), 1e-12);
    double expected = ((0.95 - 0.1462) / (1 - 0.1462) + (0.96 - 0.2615) / (1 - 0.2615) + (0.98 - 0.6293) / (1 - 0.6293)
        + (0.99 - 0.706) / (0.9975 - 0.706) + 0.5 * 0.5 + 0.6 + 0.65) / 6.5;
    VbenchScores.GroupScore q = VbenchScores.quality(s);
    assertEquals(expected, q.score(), 1e-12);
    assertTrue(q.missing().isEmpty());
    assertEquals((0.99 - 0.706) / (0.9975 - 0.706), VbenchScores.normalised(s).get("motion_smoothness"), 1e-12);

    s.remove("temporal_flickering");
    VbenchScores.GroupScore partial = VbenchScores.quality(s);
    assertTrue(Double.isNaN(partial.score()), "a missing dimension is not scored as 0");
    assertEquals(List.of("temporal_flickering"), partial.missing());
    assertEquals(9, VbenchScores.semantic(Map.of()).missing().size());
  }
}
