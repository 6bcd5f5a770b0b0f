package org.k5spark.eval.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.stats.ConfidenceInterval;
import org.k5spark.eval.stats.Direction;
import org.k5spark.eval.stats.Group;
import org.k5spark.eval.stats.MetricPolicy;
import org.k5spark.eval.stats.Outcome;
import org.k5spark.eval.stats.WinTieLoss;

/**
 * The second pairing of {@code k5 compare}: by (prompt, sample), when both runs made every common sample with
 * the same seed (same prompts, same base seed, {@code --samples-per-prompt} K &gt; 1 in both). Rows are named
 * {@code sample:<metric>}: win/tie/loss over matched seeds, and means with CIs that resample prompts (a
 * prompt's samples stay together). No p-values: the paired tests assume independent items, which samples of
 * one prompt are not; they stay on the per-prompt rows.
 */
public final class SamplePairs {
  public static final String PREFIX = "sample:";

  /** One sample made in both runs with the same seed. */
  public record Pair(String promptId, int sample, List<String> concepts, String motionLevel, VideoScore a,
      VideoScore b) {}

  private SamplePairs() {}

  /**
   * Samples of both runs with the same (prompt, sample) key; empty when any such sample differs in seed (or
   * has none), or when neither run has more than one sample of a prompt (then the prompt rows say it all).
   */
  public static List<Pair> matched(RunTable a, RunTable b) {
    Map<String, VideoScore> byKey = new LinkedHashMap<>();
    for (VideoScore v : a.videos()) {
      byKey.putIfAbsent(v.sampleId(), v);
    }
    List<Pair> out = new ArrayList<>();
    boolean multi = false;
    for (VideoScore vb : b.videos()) {
      VideoScore va = byKey.get(vb.sampleId());
      if (va == null || !va.promptId().equals(vb.promptId()) || va.sample() != vb.sample()) {
        continue;
      }
      if (va.seed() == null || !Objects.equals(va.seed(), vb.seed())) {
        return List.of();
      }
      multi |= va.sample() > 0;
      out.add(new Pair(va.promptId(), va.sample(), va.concepts(), va.motionLevel(), va, vb));
    }
    return multi ? out : List.of();
  }

  /** The {@code sample:<metric>} rows for every group; none when {@code pairs} is empty. */
  public static List<MetricRow> rows(List<Pair> pairs, Iterable<String> metrics, MetricPolicy policy,
      Bootstrap bootstrap) {
    List<MetricRow> rows = new ArrayList<>();
    if (pairs.isEmpty()) {
      return rows;
    }
    Map<Group, List<Pair>> groups = Group.split(pairs, Pair::concepts, Pair::motionLevel);
    for (String m : metrics) {
      for (Map.Entry<Group, List<Pair>> g : groups.entrySet()) {
        rows.add(row(m, g.getKey(), g.getValue(), policy, bootstrap));
      }
    }
    return rows;
  }

  private static MetricRow row(String metric, Group group, List<Pair> pairs, MetricPolicy policy, Bootstrap bootstrap) {
    Map<String, List<double[]>> byPrompt = new LinkedHashMap<>(); // prompt -> {a, b, win score}
    List<Outcome> outcomes = new ArrayList<>();
    int missing = 0;
    for (Pair p : pairs) {
      Double va = p.a().metric(metric);
      Double vb = p.b().metric(metric);
      if (va == null || vb == null || va.isNaN() || vb.isNaN()) {
        missing++;
        continue;
      }
      Outcome o = policy.judge(metric, va, vb);
      if (o != null) {
        outcomes.add(o);
      }
      double score = o == null ? Double.NaN : o == Outcome.WIN ? 1 : o == Outcome.TIE ? 0.5 : 0;
      byPrompt.computeIfAbsent(p.promptId(), k -> new ArrayList<>()).add(new double[] {va, vb, score});
    }
    Direction dir = policy.rule(metric).direction();
    boolean directed = dir != Direction.NONE;
    int n = pairs.size() - missing;
    return new MetricRow(PREFIX + metric, "sample", group, dir, n, missing, WinTieLoss.of(outcomes),
        directed ? bootstrap.clusteredMean(column(byPrompt, 2)) : ConfidenceInterval.empty(bootstrap.level()),
        bootstrap.clusteredMean(column(byPrompt, 0)), bootstrap.clusteredMean(column(byPrompt, 1)),
        bootstrap.clusteredMean(diff(byPrompt)), Double.NaN, Double.NaN, Double.NaN);
  }

  private static double[][] column(Map<String, List<double[]>> byPrompt, int c) {
    return byPrompt.values().stream()
        .map(l -> l.stream().mapToDouble(v -> v[c]).filter(d -> !Double.isNaN(d)).toArray()).toArray(double[][]::new);
  }

  private static double[][] diff(Map<String, List<double[]>> byPrompt) {
    return byPrompt.values().stream().map(l -> l.stream().mapToDouble(v -> v[0] - v[1]).toArray())
        .toArray(double[][]::new);
  }
}
