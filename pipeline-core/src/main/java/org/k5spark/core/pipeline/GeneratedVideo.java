package org.k5spark.core.pipeline;

import org.k5spark.core.video.VideoFrames;

/**
 * The result of one request: frames plus what the manifest records about how they were made.
 * {@code promptTruncated} is true when the prompt exceeded the text encoder's token limit.
 */
public record GeneratedVideo(VideoFrames frames, StageTimings timings, int steps, double guidanceWeight,
    int width, int height, boolean promptTruncated) {}
