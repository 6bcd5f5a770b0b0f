package org.k5spark.eval.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The benchmark's aggregation rule, in one place: a run's value for a metric is the mean over prompts of each
 * prompt's mean over its scored samples ({@code --samples-per-prompt}); confidence intervals resample prompts,
 * never samples, because the samples of a prompt share its text and are not independent. A prompt none of
 * whose samples has the metric does not count.
 */
public final class PromptMeans {
  /** How run.json, aggregates.csv and the report name this rule. */
  public static final String RULE = "mean over each prompt's samples, then over prompts; CIs resample prompts";

  /** Per-prompt means ({@code values}, first-seen prompt order) and how many videos went into them. */
  public record Result(double[] values, int videos) {
    public int prompts() {
      return values.length;
    }
  }

  private PromptMeans() {}

  /** {@code value} gives a video's number, null or NaN when it has none. */
  public static Result of(List<VideoScore> videos, Function<VideoScore, Double> value) {
    Map<String, double[]> sums = new LinkedHashMap<>(); // prompt id -> {sum, count}
    int used = 0;
    for (VideoScore v : videos) {
      Double d = value.apply(v);
      if (d == null || d.isNaN()) {
        continue;
      }
      double[] s = sums.computeIfAbsent(v.promptId(), k -> new double[2]);
      s[0] += d;
      s[1]++;
      used++;
    }
    List<Double> means = new ArrayList<>(sums.size());
    sums.values().forEach(s -> means.add(s[0] / s[1]));
    return new Result(means.stream().mapToDouble(Double::doubleValue).toArray(), used);
  }
}
