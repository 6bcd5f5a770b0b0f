package org.k5spark.eval.compare;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated video of one run with its metrics: sample {@code sample} (0-based) of prompt {@code promptId}
 * (a run made with {@code --samples-per-prompt K} has K videos per prompt; {@link #sampleId}). {@code metrics} maps metric name to value; a null
 * value means "not computed" (e.g. no weights), which is different from a missing key only in that
 * the CSV had the column. {@code seed} and {@code gpuSeconds} may be null.
 */
public record VideoScore(String runId, String promptId, int sample, String prompt, List<String> concepts, String motionLevel,
    Long seed, String status, String videoPath, Map<String, Double> metrics, Double gpuSeconds) {

  /** Status of a video that was generated and scored. Anything else is a failure (listed in reports). */
  public static final String STATUS_OK = "ok";

  public VideoScore {
    if (promptId == null || promptId.isBlank()) {
      throw new IllegalArgumentException("VideoScore needs a prompt_id (run " + runId + ")");
    }
    if (sample < 0) {
      throw new IllegalArgumentException("VideoScore sample must be >= 0, got " + sample + " (run " + runId + ")");
    }
    concepts = List.copyOf(concepts == null ? List.of() : concepts);
    motionLevel = motionLevel == null ? "" : motionLevel;
    prompt = prompt == null ? "" : prompt;
    status = status == null || status.isBlank() ? STATUS_OK : status;
    // LinkedHashMap keeps column order and allows null values ("not computed")
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics == null ? Map.of() : metrics));
  }

  /** Sample 0 of a prompt. */
  public VideoScore(String runId, String promptId, String prompt, List<String> concepts, String motionLevel,
      Long seed, String status, String videoPath, Map<String, Double> metrics, Double gpuSeconds) {
    this(runId, promptId, 0, prompt, concepts, motionLevel, seed, status, videoPath, metrics, gpuSeconds);
  }

  /** {@code <prompt_id>} for sample 0, {@code <prompt_id>-<k>} for sample k (the generate job's video name). */
  public String sampleId() {
    return sample == 0 ? promptId : promptId + "-" + sample;
  }

  public VideoScore withRunId(String name) {
    return new VideoScore(name, promptId, sample, prompt, concepts, motionLevel, seed, status, videoPath, metrics,
        gpuSeconds);
  }

  public boolean ok() {
    return STATUS_OK.equalsIgnoreCase(status);
  }

  /** The metric value, or null when absent / not computed / the video failed. */
  public Double metric(String name) {
    return ok() ? metrics.get(name) : null;
  }
}
