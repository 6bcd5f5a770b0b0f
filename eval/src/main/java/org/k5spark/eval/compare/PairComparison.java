package org.k5spark.eval.compare;

import java.util.List;
import org.k5spark.eval.stats.Group;

/**
 * Run A against run B. {@code rows} hold every metric and human question for every group (overall
 * first); {@code onlyInA}/{@code onlyInB} list prompt ids that could not be paired.
 */
public record PairComparison(String runA, String runB, List<MetricRow> rows, List<PromptPair> prompts,
    List<String> onlyInA, List<String> onlyInB, int votes) {

  /** Overall rows only: the shape of the Kandinsky SBS charts (one line per criterion, W/T/L shares). */
  public List<MetricRow> overall() {
    return rows.stream().filter(r -> r.group().equals(Group.OVERALL)).toList();
  }

  public List<MetricRow> rows(String name) {
    return rows.stream().filter(r -> r.name().equals(name)).toList();
  }

  public MetricRow row(String name, Group group) {
    return rows.stream().filter(r -> r.name().equals(name) && r.group().equals(group)).findFirst().orElse(null);
  }
}
