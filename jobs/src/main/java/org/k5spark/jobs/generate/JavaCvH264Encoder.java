package org.k5spark.jobs.generate;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.k5spark.core.video.VideoFrames;

/**
 * TEMPORARY: minimal H.264 (libx264, yuv420p) MP4 encoder for the job. To be REPLACED by
 * {@code org.k5spark.core.video.Mp4Writer} at merge (it is being written in pipeline-core); the job
 * only sees the {@link VideoEncoder} interface, so the switch is a one-line default change.
 */
public final class JavaCvH264Encoder implements VideoEncoder {
  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // libx264 prints per-file statistics at INFO
  }

  @Override
  public void encode(VideoFrames v, Path mp4) throws IOException {
    // libx264 with yuv420p needs even dimensions; the model's sizes are multiples of 16 anyway
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(mp4.toFile(), v.width(), v.height(), 0)) {
      rec.setFormat("mp4");
      rec.setVideoCodecName("libx264");
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(v.fps());
      rec.setVideoOption("preset", "veryfast");
      rec.setVideoOption("crf", "18");
      rec.setVideoOption("threads", "1"); // deterministic bytes: a retried prompt rewrites the same file
      rec.start();
      int fb = v.frameBytes();
      for (int f = 0; f < v.frames(); f++) {
        Frame frame = new Frame(v.width(), v.height(), Frame.DEPTH_UBYTE, 3);
        java.nio.ByteBuffer buf = (java.nio.ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        for (int y = 0; y < v.height(); y++) {
          buf.position(y * stride);
          buf.put(v.rgb(), f * fb + y * v.width() * 3, v.width() * 3);
        }
        buf.rewind();
        rec.record(frame, avutil.AV_PIX_FMT_RGB24);
      }
      rec.stop();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("H.264 encode of " + mp4 + " failed: " + e.getMessage(), e);
    }
  }
}
