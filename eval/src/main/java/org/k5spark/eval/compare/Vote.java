package org.k5spark.eval.compare;

import org.k5spark.eval.stats.Outcome;

/**
 * One human side-by-side judgment, already mapped back from left/right to runs: {@code outcome} is
 * from {@code runA}'s point of view. Questions: {@link #QUESTIONS}.
 */
public record Vote(String promptId, String question, String runA, String runB, Outcome outcome, String voter) {
  public static final java.util.List<String> QUESTIONS = java.util.List.of("visual_quality", "motion_dynamics",
      "prompt_following");

  /** The same judgment seen from the other run. */
  public Vote flipped() {
    return new Vote(promptId, question, runB, runA, outcome.flipped(), voter);
  }
}
