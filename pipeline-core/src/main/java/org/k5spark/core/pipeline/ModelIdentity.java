package org.k5spark.core.pipeline;

/**
 * What a manifest row records about the model that produced a video.
 *
 * @param attentionBackend the DiT's attention implementation (sdpa, ...), "unknown" for pipelines that do not say
 * @param dtype the DiT's compute dtype (FLOAT32 on CPU, FLOAT16 on GPU), "unknown" for pipelines that do not say
 */
public record ModelIdentity(String variant, String checkpointDigest, String configDigest, int defaultSteps,
    double defaultGuidance, int defaultWidth, int defaultHeight, int defaultFrames, String attentionBackend,
    String dtype) {
  /** An identity that does not state its attention backend or dtype. */
  public ModelIdentity(String variant, String checkpointDigest, String configDigest, int defaultSteps,
      double defaultGuidance, int defaultWidth, int defaultHeight, int defaultFrames) {
    this(variant, checkpointDigest, configDigest, defaultSteps, defaultGuidance, defaultWidth, defaultHeight,
        defaultFrames, "unknown", "unknown");
  }
}
