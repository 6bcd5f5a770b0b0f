package org.k5spark.jobs.nightly;

/**
 * One threshold applied to one metric.
 *
 * @param rule      "mean_drop" or "win_rate"
 * @param value     the observed value (oriented mean difference, or the win-rate CI upper bound)
 * @param threshold the bound it was held to
 * @param detail    a human sentence for the report
 */
public record Check(String metric, String rule, boolean regressed, double value, double threshold, String detail) {}
