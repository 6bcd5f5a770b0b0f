package org.k5spark.core.video;

/** Frames decoded from a file together with the stream's metadata. */
public record DecodedVideo(VideoFrames frames, VideoMetadata metadata) {
}
