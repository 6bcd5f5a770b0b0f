package org.k5spark.core.pipeline;

/** What a manifest row records about the model that produced a video. */
public record ModelIdentity(String variant, String checkpointDigest, String configDigest, int defaultSteps,
    double defaultGuidance, int defaultWidth, int defaultHeight, int defaultFrames) {}
