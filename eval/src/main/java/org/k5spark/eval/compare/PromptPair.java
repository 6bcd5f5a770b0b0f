package org.k5spark.eval.compare;

import java.util.List;
import java.util.Map;

/**
 * One prompt present in both runs: per-prompt metric values (mean over the prompt's ok videos; null =
 * not computed or failed) and the first video of each side for links and thumbnails.
 */
public record PromptPair(String promptId, String prompt, List<String> concepts, String motionLevel,
    Map<String, Double> valuesA, Map<String, Double> valuesB, String videoA, String videoB,
    String statusA, String statusB) {
}
