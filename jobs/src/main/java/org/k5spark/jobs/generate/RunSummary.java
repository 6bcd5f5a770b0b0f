package org.k5spark.jobs.generate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts for one run. {@code skipped} counts prompts whose earlier result was kept (its video verified);
 * {@code generated} what this invocation produced, ok or failed (0 on a complete re-run); {@code failedFraction}
 * is failed / distinct prompts, which the exit code is judged on.
 *
 * @param state done | failed (over --max-failed-fraction) | aborted (the stage aborted: {@code abortReason})
 */
public record RunSummary(int inputRows, int rejected, int distinctPrompts, int ok, int failed, int skipped,
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
    m.put("ok", ok);
    m.put("failed", failed);
    m.put("skipped_already_done", skipped);
    m.put("generated_this_run", generated);
    m.put("failed_fraction", failedFraction);
    return m;
  }
}
