package org.k5spark.jobs.generate;

import java.io.Serializable;
import java.util.List;
import org.k5spark.core.pipeline.VideoRequest;

/**
 * Everything one generate run needs, on the driver and (serialised) on executors. Null request fields
 * fall back to the model config's defaults.
 *
 * @param factoryClass a {@link org.k5spark.core.pipeline.TextToVideoFactory} with a public no-arg constructor
 * @param partitions 0 = twice the default parallelism, capped at the number of prompts
 * @param maxFailedFraction the run fails (non-zero exit) only when failed / generated exceeds this
 * @param progressIntervalMs how often the driver polls committed parts for the progress log
 */
public record GenerateConfig(List<String> prompts, String out, String runId, String modelConfig, String weightsRoot,
    String factoryClass, String encoderClass, PromptReader.Options readerOptions, PromptSelection selection,
    Integer width, Integer height, Double seconds, Integer steps, Double guidance, String negativePrompt,
    int partitions, double maxFailedFraction, boolean retryWithTiling, long progressIntervalMs) implements Serializable {
  public static final String DEFAULT_FACTORY = "org.k5spark.core.pipeline.Kandinsky5PipelineFactory";
  public static final String DEFAULT_ENCODER = Mp4VideoEncoder.class.getName();

  public GenerateConfig {
    prompts = List.copyOf(prompts);
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("no prompt CSV given (--prompts)");
    }
  }

  /** The same config with the output, model and weights locations qualified (e.g. file:/abs/path). */
  public GenerateConfig withLocations(String out, String modelConfig, String weightsRoot) {
    return new GenerateConfig(prompts, out, runId, modelConfig, weightsRoot, factoryClass, encoderClass, readerOptions,
        selection, width, height, seconds, steps, guidance, negativePrompt, partitions, maxFailedFraction,
        retryWithTiling, progressIntervalMs);
  }

  public RunLayout layout() {
    return new RunLayout(out, runId);
  }

  public VideoRequest request(PromptRecord p) {
    return new VideoRequest(p.prompt(), negativePrompt, p.seed(), width, height, seconds, steps, guidance, false);
  }

  /** Relative cost of one prompt: frames x steps x CFG passes (model defaults stand in for nulls). */
  public double cost(PromptRecord p) {
    double frames = (seconds == null ? 5.0 : seconds) * 24 + 1;
    int s = steps == null ? 50 : steps;
    int passes = guidance != null && guidance <= 1.0 ? 1 : 2;
    return frames * s * passes;
  }
}
