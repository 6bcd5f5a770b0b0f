package org.k5spark.core.pipeline;

/**
 * One text-to-video request. Null fields fall back to the model config (steps, guidance, size,
 * duration); {@code negativePrompt} null means the reference's default negative prompt.
 */
public record VideoRequest(String prompt, String negativePrompt, long seed, Integer width, Integer height,
    Double seconds, Integer steps, Double guidanceWeight, boolean vaeTiling) {
  public static VideoRequest of(String prompt, long seed) {
    return new VideoRequest(prompt, null, seed, null, null, null, null, null, false);
  }

  public VideoRequest withVaeTiling(boolean on) {
    return new VideoRequest(prompt, negativePrompt, seed, width, height, seconds, steps, guidanceWeight, on);
  }
}
