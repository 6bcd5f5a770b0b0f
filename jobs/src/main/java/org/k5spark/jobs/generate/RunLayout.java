package org.k5spark.jobs.generate;

import java.io.Serializable;
import org.apache.hadoop.fs.Path;

/** Where a run's files live: {@code <out>/<run_id>/{videos,parts,_tmp}/, manifest.csv, manifest.parquet, run.json}. */
public record RunLayout(String out, String runId) implements Serializable {
  /** File names inside a run directory that other jobs read (the evaluation reads the manifest). */
  public static final String MANIFEST_CSV = "manifest.csv";
  public static final String MANIFEST_PARQUET = "manifest.parquet";

  public RunLayout {
    if (runId == null || !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException("--run-id must be 1-128 chars of [A-Za-z0-9._-] and not start with . or -: " + runId);
    }
  }

  public Path runDir() {
    return new Path(new Path(out), runId);
  }

  public Path videos() {
    return new Path(runDir(), "videos");
  }

  public Path video(String sampleId) {
    return new Path(videos(), sampleId + ".mp4");
  }

  public Path parts() {
    return new Path(runDir(), "parts");
  }

  public Path part(String sampleId) {
    return new Path(parts(), sampleId + ".json");
  }

  /** Temporary names for rename-commits on real filesystems; removed when the run ends. */
  public Path tmp() {
    return new Path(runDir(), "_tmp");
  }

  public Path manifestCsv() {
    return new Path(runDir(), MANIFEST_CSV);
  }

  public Path manifestParquet() {
    return new Path(runDir(), MANIFEST_PARQUET);
  }

  public Path runJson() {
    return new Path(runDir(), "run.json");
  }
}
