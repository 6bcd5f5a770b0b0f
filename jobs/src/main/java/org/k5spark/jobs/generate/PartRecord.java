package org.k5spark.jobs.generate;

import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import org.k5spark.jobs.spark.PartFiles;

/**
 * The committed result of one prompt, written atomically as {@code <run>/parts/<prompt_id>.json}
 * after its video. The manifest is assembled from these files, so task retries and speculative
 * attempts (which rewrite the same file name) can never add a row. Parts written before a field existed read
 * it as its default (false / 0 / null).
 */
public record PartRecord(String promptId, String status, String error, String videoPath, long videoBytes,
    long seed, String modelVariant, String checkpointDigest, String configDigest, int width, int height,
    int frames, double fps, int steps, double guidance, boolean promptTruncated, boolean vaeTiling, boolean magCache,
    Map<String, Double> timingsMs, String gpu, String executorId, int attempt, String pipelineInstance,
    long finishedAtMs) implements Serializable {
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String REJECTED = "rejected";

  public byte[] toJson() {
    return PartFiles.toJson(this);
  }

  public static PartRecord fromJson(byte[] json) throws IOException {
    return PartFiles.fromJson(json, PartRecord.class);
  }

  public boolean ok() {
    return OK.equals(status);
  }
}
