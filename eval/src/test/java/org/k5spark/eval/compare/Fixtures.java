package org.k5spark.eval.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small synthetic run tables with known answers, shared by compare/report/sbs tests. */
public final class Fixtures {
  private Fixtures() {
  }

  public static VideoScore video(String run, String id, String prompt, List<String> concepts, String motion,
      Map<String, Double> metrics) {
    return new VideoScore(run, id, prompt, concepts, motion, 42L, "ok", "videos/" + run + "/" + id + ".mp4",
        metrics, 10.0);
  }

  static Map<String, Double> m(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return m;
  }

  /**
   * Runs A and B over p1..p5 (A) and p2..p6 (B). aesthetic_quality (margin 0.01): on the shared
   * prompts p2..p5 A wins p2 and p3, ties p4, loses p5. p4 has a script-injection prompt.
   * text_video_alignment is not computed in B for p3 ("no weights").
   */
  public static List<RunTable> twoRuns() {
    List<String> ids = List.of("p1", "p2", "p3", "p4", "p5", "p6");
    List<String> prompts = List.of("a cat on a sofa", "a dog, running", "waves at night",
        "<script>window.__pwned=1</script> & \"quotes\"", "a red car", "only in B");
    List<List<String>> concepts = List.of(List.of("animal"), List.of("animal", "scene"), List.of("scene"),
        List.of("unusual subject"), List.of("camera motion", "scene"), List.of("scene"));
    List<String> motion = List.of("low", "high", "medium", "low", "high", "low");
    double[] aA = {0.50, 0.60, 0.55, 0.40, 0.30, 0};
    double[] aB = {0, 0.50, 0.50, 0.405, 0.45, 0.7};
    List<VideoScore> va = new ArrayList<>();
    List<VideoScore> vb = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      if (i < 5) {
        va.add(video("A", ids.get(i), prompts.get(i), concepts.get(i), motion.get(i),
            m("aesthetic_quality", aA[i], "text_video_alignment", 0.25, "dynamic_degree", 1.0, "brightness", 0.4)));
      }
      if (i >= 1) {
        vb.add(video("B", ids.get(i), prompts.get(i), concepts.get(i), motion.get(i),
            m("aesthetic_quality", aB[i], "text_video_alignment", i == 2 ? null : 0.20, "dynamic_degree",
                i == 3 ? 1.0 : 0.0, "brightness", 0.5)));
      }
    }
    Map<String, String> cfgA = new LinkedHashMap<>();
    cfgA.put("checkpoint", "k5-lite-sft");
    cfgA.put("steps", "50");
    cfgA.put("s3.secret.key", "SUPERSECRET123");
    Map<String, String> cfgB = new LinkedHashMap<>();
    cfgB.put("checkpoint", "k5-lite-distilled");
    cfgB.put("steps", "16");
    cfgB.put("hf_token", "hf_TOPSECRET");
    return List.of(new RunTable("A", cfgA, va), new RunTable("B", cfgB, vb));
  }
}
