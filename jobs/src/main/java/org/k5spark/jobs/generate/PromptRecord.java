package org.k5spark.jobs.generate;

import java.io.Serializable;
import java.util.List;

/**
 * One input CSV row after validation. Accepted rows carry a content-derived {@code promptId} and a
 * deterministic seed; rejected rows carry the reason instead (and {@code promptId} null), so the
 * manifest can hold one row per input row either way.
 *
 * @param prompt the normalised prompt text the model sees (for rejected rows: a short excerpt of the source)
 * @param sourceLine 1-based physical line in {@code sourceFile} where the row starts
 */
public record PromptRecord(String promptId, String prompt, List<String> concepts, String motionLevel, long seed,
    String sourceFile, int sourceLine, String rejection) implements Serializable {
  public PromptRecord {
    concepts = List.copyOf(concepts);
  }

  public boolean accepted() {
    return rejection == null;
  }

  static PromptRecord rejected(String excerpt, String sourceFile, int sourceLine, String reason) {
    return new PromptRecord(null, excerpt, List.of(), null, -1, sourceFile, sourceLine, reason);
  }
}
