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
 * @param batchSize prompts per {@code generateEach} call on an executor (see {@link #DEFAULT_BATCH_SIZE})
 */
public record GenerateConfig(List<String> prompts, String out, String runId, String modelConfig, String weightsRoot,
    String factoryClass, String encoderClass, PromptReader.Options readerOptions, PromptSelection selection,
    Sampling sampling, int partitions, double maxFailedFraction, boolean retryWithTiling, long progressIntervalMs,
    int batchSize) implements Serializable {
  public static final String DEFAULT_FACTORY = "org.k5spark.core.pipeline.Kandinsky5PipelineFactory";
  public static final String DEFAULT_ENCODER = Mp4VideoEncoder.class.getName();
  /**
   * On a GPU each batch places the text encoders on the device once (the 7B Qwen encoder crosses PCIe twice
   * per batch instead of twice per video), and the batch's decoded videos wait in host memory until committed:
   * at the reference's 768x512, 121 frames that is ~140 MB a video, so 4 keeps a batch under 0.6 GB and a
   * killed task loses at most 4 videos of work.
   */
  public static final int DEFAULT_BATCH_SIZE = 4;

  /** The config with the default batch size. */
  public GenerateConfig(List<String> prompts, String out, String runId, String modelConfig, String weightsRoot,
      String factoryClass, String encoderClass, PromptReader.Options readerOptions, PromptSelection selection,
      Sampling sampling, int partitions, double maxFailedFraction, boolean retryWithTiling, long progressIntervalMs) {
    this(prompts, out, runId, modelConfig, weightsRoot, factoryClass, encoderClass, readerOptions, selection, sampling,
        partitions, maxFailedFraction, retryWithTiling, progressIntervalMs, DEFAULT_BATCH_SIZE);
  }

  public GenerateConfig {
    prompts = List.copyOf(prompts);
    sampling = sampling == null ? Sampling.defaults() : sampling;
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
    }
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("no prompt CSV given (--prompts)");
    }
  }

  /** The same config with the output, model and weights locations qualified (e.g. file:/abs/path). */
  public GenerateConfig withLocations(String out, String modelConfig, String weightsRoot) {
    return new GenerateConfig(prompts, out, runId, modelConfig, weightsRoot, factoryClass, encoderClass, readerOptions,
        selection, sampling, partitions, maxFailedFraction, retryWithTiling, progressIntervalMs, batchSize);
  }

  public GenerateConfig withBatchSize(int n) {
    return new GenerateConfig(prompts, out, runId, modelConfig, weightsRoot, factoryClass, encoderClass, readerOptions,
        selection, sampling, partitions, maxFailedFraction, retryWithTiling, progressIntervalMs, n);
  }

  public RunLayout layout() {
    return new RunLayout(out, runId);
  }
}
