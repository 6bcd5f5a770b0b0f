package org.k5spark.eval.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric on one video: a value (number, boolean, or text) or "not computed" with the reason, always
 * with the estimator that produced it (e.g. {@code farneback} where VBench uses RAFT). Names follow
 * VBench's snake_case dimension names where the metric is a VBench dimension.
 *
 * @param details optional diagnostics (thresholds, counts), never needed to read the value
 */
public record MetricResult(String name, Object value, String estimator, String notComputedReason, Map<String, Object> details) {
  public MetricResult {
    if ((value == null) == (notComputedReason == null)) {
      throw new IllegalArgumentException(name + ": exactly one of value and notComputedReason must be set");
    }
    if (value != null && !(value instanceof Number || value instanceof Boolean || value instanceof String)) {
      throw new IllegalArgumentException(name + ": unsupported value type " + value.getClass().getName());
    }
    details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static MetricResult of(String name, double value, String estimator) {
    return new MetricResult(name, value, estimator, null, null);
  }

  public static MetricResult of(String name, Object value, String estimator, Map<String, Object> details) {
    return new MetricResult(name, value, estimator, null, details);
  }

  public static MetricResult notComputed(String name, String estimator, String reason) {
    return new MetricResult(name, null, estimator, reason, null);
  }

  public boolean computed() {
    return value != null;
  }

  /** The numeric value; fails for boolean/text values and for "not computed". */
  public double number() {
    if (!(value instanceof Number n)) {
      throw new IllegalStateException(name + " has no numeric value: " + describe());
    }
    return n.doubleValue();
  }

  public boolean flag() {
    if (!(value instanceof Boolean b)) {
      throw new IllegalStateException(name + " has no boolean value: " + describe());
    }
    return b;
  }

  private String describe() {
    return computed() ? String.valueOf(value) : "not computed (" + notComputedReason + ")";
  }
}
