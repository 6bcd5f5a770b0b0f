package org.k5spark.jobs.generate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts for one run. {@code generated} is what this invocation produced (0 on a complete re-run);
 * {@code failedFraction} is failed / (ok + failed) over distinct prompts, which the exit code is judged on.
 */
public record RunSummary(int inputRows, int rejected, int distinctPrompts, int ok, int failed, int skipped,
    int generated, double failedFraction, String manifestCsv) {
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
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
