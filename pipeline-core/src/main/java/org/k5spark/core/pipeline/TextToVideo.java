package org.k5spark.core.pipeline;

import java.util.function.IntConsumer;

/** A loaded text-to-video model: prompt in, frames out. Thread-confined; one per device. */
public interface TextToVideo extends AutoCloseable {
  /** @param onStep called after each denoising step with the step index (progress) */
  GeneratedVideo generate(VideoRequest request, IntConsumer onStep);

  /** Short identity for manifests: variant name, checkpoint digest, config digest. */
  ModelIdentity identity();

  @Override
  void close();
}
