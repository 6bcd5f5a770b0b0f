package org.k5spark.core.video;

/**
 * What the container and decoder say about a video stream.
 *
 * @param codec FFmpeg codec name of the video stream (e.g. {@code h264})
 * @param fps average frame rate of the stream (FFmpeg {@code avg_frame_rate}); what VBench's cv2 reader calls CAP_PROP_FPS
 * @param frames frames actually decoded
 * @param width frame width in pixels
 * @param height frame height in pixels
 */
public record VideoMetadata(String codec, double fps, int frames, int width, int height) {
}
