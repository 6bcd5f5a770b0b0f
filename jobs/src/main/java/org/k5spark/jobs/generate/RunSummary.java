package org.k5spark.jobs.generate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts for one run, in videos (distinct prompts x samples per prompt) except {@code inputRows}, {@code rejected}
 * and {@code distinctPrompts}. {@code skipped} counts videos whose earlier result was kept (its video verified);
 * {@code generated} what this invocation produced, ok or failed (0 on a complete re-run); {@code failedFraction}
 * is failed / videos, which the exit code is judged on.
 *
 * @param state done | failed (over --max-failed-fraction) | aborted (the stage aborted: {@code abortReason})
 */
public record RunSummary(int inputRows, int rejected, int distinctPrompts, int samplesPerPrompt, int ok, int failed, int skipped,
    int generated, double failedFraction, String manifestCsv, String state, String abortReason) {
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state);
    if (abortReason != null) {
      m.put("abort_reason", abortReason);
    }
    m.put("input_rows", inputRows);
    m.put("rejected", rejected);
    m.put("distinct_prompts", distinctPrompts);
    m.put("samples_per_prompt", samplesPerPrompt);
    m.put("videos", distinctPrompts * samplesPerPrompt);
    m.put("ok", ok);
    m.put("failed", failed);
    m.put("skipped_already_done", skipped);
    m.put("generated_this_run", generated);
    m.put("failed_fraction", failedFraction);
    return m;
  }
}
