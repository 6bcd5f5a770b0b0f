package org.k5spark.core.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per pipeline stage in milliseconds (text_encode, denoise, decode, encode, upload, ...). */
public final class StageTimings {
  private final Map<String, Double> ms = new LinkedHashMap<>();

  public void add(String stage, double millis) {
    ms.merge(stage, millis, Double::sum);
  }

  /** Runs {@code body}, adding its wall time to {@code stage}. */
  public <T> T time(String stage, java.util.function.Supplier<T> body) {
    long t0 = System.nanoTime();
    try {
      return body.get();
    } finally {
      add(stage, (System.nanoTime() - t0) / 1e6);
    }
  }

  public double get(String stage) {
    return ms.getOrDefault(stage, 0.0);
  }

  public Map<String, Double> asMap() {
    return Collections.unmodifiableMap(ms);
  }

  @Override
  public String toString() {
    return ms.toString();
  }
}
