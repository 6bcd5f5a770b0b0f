package org.k5spark.jobs.generate;

import java.io.Serializable;
import org.k5spark.core.pipeline.VideoRequest;

/**
 * The per-video generation settings of a run, the same for every prompt. Null fields fall back to the model
 * config's defaults (and the reference's negative prompt); they are recorded in run.json so that two runs
 * being compared can be told apart.
 *
 * @param magCache skip visual blocks where the variant's MagCache ratios allow (faster, not bit-identical)
 * @param samplesPerPrompt videos per accepted prompt (VBench uses 5), seeds per {@link PromptIds#sampleSeed}
 */
public record Sampling(Integer width, Integer height, Double seconds, Integer steps, Double guidance,
    String negativePrompt, boolean magCache, int samplesPerPrompt) implements Serializable {
  /** More would be a typo rather than a protocol (VBench: 5, MLPerf T2V: a handful of iterations). */
  public static final int MAX_SAMPLES_PER_PROMPT = 100;

  public Sampling {
    if (samplesPerPrompt < 1 || samplesPerPrompt > MAX_SAMPLES_PER_PROMPT) {
      throw new IllegalArgumentException("--samples-per-prompt must be 1.." + MAX_SAMPLES_PER_PROMPT + ", got "
          + samplesPerPrompt);
    }
  }

  /** One sample per prompt. */
  public Sampling(Integer width, Integer height, Double seconds, Integer steps, Double guidance,
      String negativePrompt, boolean magCache) {
    this(width, height, seconds, steps, guidance, negativePrompt, magCache, 1);
  }

  /** Everything from the model config, exact sampling, one sample per prompt. */
  public static Sampling defaults() {
    return new Sampling(null, null, null, null, null, null, false, 1);
  }

  public Sampling withSamplesPerPrompt(int k) {
    return new Sampling(width, height, seconds, steps, guidance, negativePrompt, magCache, k);
  }

  public VideoRequest request(PromptSample s) {
    return new VideoRequest(s.prompt().prompt(), negativePrompt, s.seed(), width, height, seconds, steps, guidance,
        false, magCache);
  }

}
