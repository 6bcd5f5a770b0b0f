package org.k5spark.jobs.generate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/**
 * The committed result of one prompt, written atomically as {@code <run>/parts/<prompt_id>.json}
 * after its video. The manifest is assembled from these files, so task retries and speculative
 * attempts (which rewrite the same file name) can never add a row.
 */
public record PartRecord(String promptId, String status, String error, String videoPath, long videoBytes,
    long seed, String modelVariant, String checkpointDigest, String configDigest, int width, int height,
    int frames, double fps, int steps, double guidance, boolean promptTruncated, boolean vaeTiling,
    Map<String, Double> timingsMs, String gpu, String executorId, int attempt, String pipelineInstance,
    long finishedAtMs) implements Serializable {
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String REJECTED = "rejected";

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public byte[] toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static PartRecord fromJson(byte[] json) throws IOException {
    return JSON.readValue(json, PartRecord.class);
  }

  public boolean ok() {
    return OK.equals(status);
  }
}
