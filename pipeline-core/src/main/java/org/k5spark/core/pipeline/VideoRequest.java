package org.k5spark.core.pipeline;

/**
 * One text-to-video request. Null fields fall back to the model config (steps, guidance, size,
 * duration); {@code negativePrompt} null means the reference's default negative prompt. {@code magCache}
 * turns on the reference's MagCache (skips visual blocks on steps whose configured magnitude ratios say the
 * residual barely changes; faster, not bit-identical) — off by default so results stay the exact sampler's.
 */
public record VideoRequest(String prompt, String negativePrompt, long seed, Integer width, Integer height,
    Double seconds, Integer steps, Double guidanceWeight, boolean vaeTiling, boolean magCache) {
  /** Without MagCache (the exact sampler). */
  public VideoRequest(String prompt, String negativePrompt, long seed, Integer width, Integer height, Double seconds,
      Integer steps, Double guidanceWeight, boolean vaeTiling) {
    this(prompt, negativePrompt, seed, width, height, seconds, steps, guidanceWeight, vaeTiling, false);
  }

  public static VideoRequest of(String prompt, long seed) {
    return new VideoRequest(prompt, null, seed, null, null, null, null, null, false, false);
  }

  public VideoRequest withVaeTiling(boolean on) {
    return new VideoRequest(prompt, negativePrompt, seed, width, height, seconds, steps, guidanceWeight, on, magCache);
  }

  public VideoRequest withMagCache(boolean on) {
    return new VideoRequest(prompt, negativePrompt, seed, width, height, seconds, steps, guidanceWeight, vaeTiling, on);
  }
}
