package org.k5spark.eval.compare;

import java.util.List;
import java.util.Map;

/**
 * Everything CompareRuns found: the runs (for configs and costs), every pairwise comparison, and the
 * prompt coverage problems: prompts missing from some runs (id → runs that have it) and failed videos.
 */
public record Comparison(List<RunTable> runs, List<PairComparison> pairs, Map<String, List<String>> partialPrompts,
    List<VideoScore> failedVideos, int bootstrapResamples, long seed, double level) {
}
