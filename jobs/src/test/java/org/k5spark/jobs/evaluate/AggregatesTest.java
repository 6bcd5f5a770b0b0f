package org.k5spark.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.k5spark.eval.compare.PromptMeans;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.stats.Group;

/** A K=3 run: aggregates average each prompt's samples first, and the CI resamples the prompts. */
class AggregatesTest {
  @Test
  void samplesOfAPromptAreAveragedBeforeThePrompts() throws Exception {
    // p1 {1,2,3} -> 2, p2 {4,4,4} -> 4, p3 {9, failed, failed} -> 9: prompt mean 5, video mean 27/7
    double[][] values = {{1, 2, 3}, {4, 4, 4}, {9, Double.NaN, Double.NaN}};
    List<VideoScore> v = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      for (int k = 0; k < 3; k++) {
        boolean failed = Double.isNaN(values[p][k]);
        v.add(new VideoScore("r", "p" + p, k, "prompt", List.of(p < 2 ? "animal" : "scene"), p == 0 ? "high" : "low",
            (long) k, failed ? "failed" : "ok", null, failed ? Map.of() : Map.of("m", values[p][k]), 2.0 + p));
      }
    }
    Bootstrap boot = Bootstrap.defaults();
    List<Aggregates.Line> lines = Aggregates.compute(new RunTable("r", Map.of(), v), List.of("m"), boot);
    Aggregates.Line all = find(lines, "m", Group.OVERALL);
    assertEquals(3, all.n(), "n counts prompts");
    assertEquals(7, all.videos());
    assertEquals(5.0, all.mean().estimate(), 1e-12);
    var overPrompts = boot.mean(new double[] {2, 4, 9});
    assertEquals(overPrompts.lower(), all.mean().lower(), 1e-12);
    assertEquals(overPrompts.upper(), all.mean().upper(), 1e-12);
    assertTrue(all.mean().lower() >= 2 && all.mean().upper() <= 9, "no resample below the lowest prompt mean");

    Aggregates.Line animal = find(lines, "m", new Group(Group.Kind.CONCEPT, "animal"));
    assertEquals(2, animal.n());
    assertEquals(6, animal.videos());
    assertEquals(3.0, animal.mean().estimate(), 1e-12);
    Aggregates.Line low = find(lines, "m", new Group(Group.Kind.MOTION, "low"));
    assertEquals(6.5, low.mean().estimate(), 1e-12);
    // gpu seconds: per prompt 2, 3, 4 on ok videos -> 3
    assertEquals(3.0, find(lines, Aggregates.GPU_SECONDS, Group.OVERALL).mean().estimate(), 1e-12);

    String csv = new String(Aggregates.toCsv(lines), StandardCharsets.UTF_8);
    assertTrue(csv.startsWith("run_id,metric,group_kind,group,n,n_videos,mean,ci_lower,ci_upper,level,aggregation\r\n"),
        csv);
    assertTrue(csv.contains("r,m,overall,all,3,7,5.0,"), csv);
    assertTrue(csv.contains(",\"" + PromptMeans.RULE + "\"\r\n"), csv);
  }

  private static Aggregates.Line find(List<Aggregates.Line> lines, String metric, Group g) {
    return lines.stream().filter(l -> l.metric().equals(metric) && l.group().equals(g)).findFirst().orElseThrow();
  }
}
