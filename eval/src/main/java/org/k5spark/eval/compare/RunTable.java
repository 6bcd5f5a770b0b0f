package org.k5spark.eval.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** All videos of one run plus the run's configuration (checkpoint, seed policy, steps, ...). */
public final class RunTable {
  private final String runId;
  private final Map<String, String> config;
  private final List<VideoScore> videos;

  public RunTable(String runId, Map<String, String> config, List<VideoScore> videos) {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("run id must not be blank");
    }
    this.runId = runId;
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config == null ? Map.of() : config));
    this.videos = List.copyOf(videos);
  }

  public String runId() {
    return runId;
  }

  public Map<String, String> config() {
    return config;
  }

  public List<VideoScore> videos() {
    return videos;
  }

  /** Videos grouped by prompt id, in first-seen order (a prompt may have several seeds). */
  public Map<String, List<VideoScore>> byPrompt() {
    Map<String, List<VideoScore>> m = new LinkedHashMap<>();
    for (VideoScore v : videos) {
      m.computeIfAbsent(v.promptId(), k -> new ArrayList<>()).add(v);
    }
    return m;
  }

  /** Metric names in column order across all videos. */
  public Set<String> metricNames() {
    Set<String> s = new LinkedHashSet<>();
    for (VideoScore v : videos) {
      s.addAll(v.metrics().keySet());
    }
    return s;
  }

  /**
   * The per-prompt value of a metric: the mean over this prompt's ok videos where it was computed,
   * or null when none has it.
   */
  public static Double promptValue(List<VideoScore> vs, String metric) {
    double s = 0;
    int n = 0;
    for (VideoScore v : vs) {
      Double d = v.metric(metric);
      if (d != null && !d.isNaN()) {
        s += d;
        n++;
      }
    }
    return n == 0 ? null : s / n;
  }

  /** Mean GPU seconds per video over videos that report it, null when none does. */
  public Double gpuSecondsPerVideo() {
    double s = 0;
    int n = 0;
    for (VideoScore v : videos) {
      if (v.gpuSeconds() != null) {
        s += v.gpuSeconds();
        n++;
      }
    }
    return n == 0 ? null : s / n;
  }
}
