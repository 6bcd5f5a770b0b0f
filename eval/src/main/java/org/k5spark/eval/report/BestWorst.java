package org.k5spark.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;

/** The k highest- and lowest-scoring prompts of one run on one metric (raw values, whatever the direction). */
public record BestWorst(List<Entry> best, List<Entry> worst) {
  public record Entry(String promptId, String prompt, double value) {
  }

  public static BestWorst of(RunTable run, String metric, int k) {
    List<Entry> es = new ArrayList<>();
    for (Map.Entry<String, List<VideoScore>> e : run.byPrompt().entrySet()) {
      Double v = RunTable.promptValue(e.getValue(), metric);
      if (v != null) {
        es.add(new Entry(e.getKey(), e.getValue().get(0).prompt(), v));
      }
    }
    // ties broken by prompt id so the report is stable
    es.sort(Comparator.comparingDouble(Entry::value).reversed().thenComparing(Entry::promptId));
    List<Entry> best = List.copyOf(es.subList(0, Math.min(k, es.size())));
    List<Entry> worst = new ArrayList<>(es.subList(Math.max(0, es.size() - k), es.size()));
    java.util.Collections.reverse(worst);
    return new BestWorst(best, List.copyOf(worst));
  }
}
