package org.k5spark.jobs.evaluate;

import java.io.Serializable;
import org.apache.hadoop.fs.Path;
import org.k5spark.jobs.generate.RunLayout;

/**
 * Where an evaluation writes, inside the generation run it scores:
 * {@code <run>/eval/{parts/<prompt_id>.json, _tmp/, metrics.csv, metrics.parquet, aggregates.csv,
 * aggregates.parquet, eval.json}}.
 */
public record EvalLayout(String runDir) implements Serializable {
  public Path run() {
    return new Path(runDir);
  }

  public Path manifestCsv() {
    return new Path(run(), RunLayout.MANIFEST_CSV);
  }

  public Path manifestParquet() {
    return new Path(run(), RunLayout.MANIFEST_PARQUET);
  }

  public Path dir() {
    return new Path(run(), "eval");
  }

  public Path parts() {
    return new Path(dir(), "parts");
  }

  public Path part(String promptId) {
    return new Path(parts(), promptId + ".json");
  }

  public Path tmp() {
    return new Path(dir(), "_tmp");
  }

  /** The per-video table in the {@code MetricsCsv} format that {@code k5 compare} / {@code k5 report} read. */
  public Path metricsCsv() {
    return new Path(dir(), "metrics.csv");
  }

  public Path metricsParquet() {
    return new Path(dir(), "metrics.parquet");
  }

  public Path aggregatesCsv() {
    return new Path(dir(), "aggregates.csv");
  }

  public Path aggregatesParquet() {
    return new Path(dir(), "aggregates.parquet");
  }

  public Path summaryJson() {
    return new Path(dir(), "eval.json");
  }
}
