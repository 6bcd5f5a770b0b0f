package org.k5spark.jobs.generate;

import java.io.Serializable;
import org.k5spark.core.pipeline.VideoRequest;

/**
 * The per-video generation settings of a run, the same for every prompt. Null fields fall back to the model
 * config's defaults (and the reference's negative prompt); they are recorded in run.json so that two runs
 * being compared can be told apart.
 *
 * @param magCache skip visual blocks where the variant's MagCache ratios allow (faster, not bit-identical)
 */
public record Sampling(Integer width, Integer height, Double seconds, Integer steps, Double guidance,
    String negativePrompt, boolean magCache) implements Serializable {

  /** Everything from the model config, exact sampling. */
  public static Sampling defaults() {
    return new Sampling(null, null, null, null, null, null, false);
  }

  public VideoRequest request(PromptRecord p) {
    return new VideoRequest(p.prompt(), negativePrompt, p.seed(), width, height, seconds, steps, guidance, false,
        magCache);
  }

  /** Relative cost of one prompt: frames x steps x CFG passes (model defaults stand in for nulls). */
  public double cost() {
    double frames = (seconds == null ? 5.0 : seconds) * 24 + 1;
    int s = steps == null ? 50 : steps;
    int passes = guidance != null && guidance <= 1.0 ? 1 : 2;
    return frames * s * passes;
  }
}
