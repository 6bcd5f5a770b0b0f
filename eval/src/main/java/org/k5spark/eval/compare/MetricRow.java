package org.k5spark.eval.compare;

import org.k5spark.eval.stats.ConfidenceInterval;
import org.k5spark.eval.stats.Direction;
import org.k5spark.eval.stats.Group;
import org.k5spark.eval.stats.WinTieLoss;

/**
 * One paired comparison of run A vs run B on one metric (or human question) over one group.
 *
 * @param source      "metric" or "human"
 * @param n           paired items used (both sides have a value)
 * @param missing     prompts of the group left out because one side has no value (not computed/failed)
 * @param wtl         win/tie/loss from A's side; all zero for {@link Direction#NONE}
 * @param winRate     (W + T/2)/N with percentile bootstrap CI
 * @param meanA       mean of A (NaN for human votes)
 * @param meanDiff    mean of A - B with bootstrap CI (NaN for human votes)
 * @param wilcoxonP   Wilcoxon signed-rank p (NaN for human votes / NONE)
 * @param signP       sign test p on wins vs losses
 * @param permutationP paired sign-flip permutation p of the mean difference (NaN for human votes)
 */
public record MetricRow(String name, String source, Group group, Direction direction, int n, int missing,
    WinTieLoss wtl, ConfidenceInterval winRate, ConfidenceInterval meanA, ConfidenceInterval meanB,
    ConfidenceInterval meanDiff, double wilcoxonP, double signP, double permutationP) {
}
