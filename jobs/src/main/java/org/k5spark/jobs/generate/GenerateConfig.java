package org.k5spark.jobs.generate;

import java.io.Serializable;
import java.util.List;

/**
 * Everything one generate run needs, on the driver and (serialised) on executors.
 *
 * @param sampling per-video settings; null = {@link Sampling#defaults()}
 * @param factoryClass a {@link org.k5spark.core.pipeline.TextToVideoFactory} with a public no-arg constructor
 * @param partitions 0 = twice the default parallelism, capped at the number of prompts
 * @param maxFailedFraction the run fails (non-zero exit) only when failed / generated exceeds this
 * @param progressIntervalMs how often the driver polls committed parts for the progress log
 */
public record GenerateConfig(List<String> prompts, String out, String runId, String modelConfig, String weightsRoot,
    String factoryClass, String encoderClass, PromptReader.Options readerOptions, PromptSelection selection,
    Sampling sampling, int partitions, double maxFailedFraction, boolean retryWithTiling, long progressIntervalMs)
    implements Serializable {
  public static final String DEFAULT_FACTORY = "org.k5spark.core.pipeline.Kandinsky5PipelineFactory";
  public static final String DEFAULT_ENCODER = Mp4VideoEncoder.class.getName();

  public GenerateConfig {
    prompts = List.copyOf(prompts);
    sampling = sampling == null ? Sampling.defaults() : sampling;
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("no prompt CSV given (--prompts)");
    }
  }

  /** The same config with the output, model and weights locations qualified (e.g. file:/abs/path). */
  public GenerateConfig withLocations(String out, String modelConfig, String weightsRoot) {
    return new GenerateConfig(prompts, out, runId, modelConfig, weightsRoot, factoryClass, encoderClass, readerOptions,
        selection, sampling, partitions, maxFailedFraction, retryWithTiling, progressIntervalMs);
  }

  public RunLayout layout() {
    return new RunLayout(out, runId);
  }

  /** Relative cost of one prompt (the same for every prompt of a run; kept per prompt for the balancer). */
  public double cost(PromptRecord p) {
    return sampling.cost();
  }
}
