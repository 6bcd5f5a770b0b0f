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

}
