package org.k5spark.benchmark.video;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.k5spark.core.video.VideoFrames;

/**
 * H.264 MP4 encoding for the benchmarks, straight on JavaCV's FFmpegFrameRecorder: libx264, yuv420p, CRF 18,
 * preset medium, fragmented MP4 into memory — the settings of {@code org.k5spark.core.video.Mp4Writer}
 * (branch videoeval), which was not on main when this was written. Swap to Mp4Writer once it is merged.
 */
public final class Mp4Bytes {
  public static final int CRF = 18;
  public static final String PRESET = "medium";

  private Mp4Bytes() {}

  public static byte[] encode(VideoFrames video) {
    if (avcodec.avcodec_find_encoder_by_name("libx264") == null) {
      throw new IllegalStateException("libx264 missing: the FFmpeg natives are not the -gpl build");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out, video.width(), video.height(), 0);
    recorder.setCloseOutputStream(false);
    recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
    recorder.setFormat("mp4");
    recorder.setVideoCodecName("libx264");
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(video.fps());
    recorder.setVideoOption("crf", Integer.toString(CRF));
    recorder.setVideoOption("preset", PRESET);
    int frameBytes = video.frameBytes();
    ByteBuffer buffer = ByteBuffer.allocateDirect(frameBytes);
    try {
      recorder.start();
      for (int f = 0; f < video.frames(); f++) {
        buffer.clear();
        buffer.put(video.rgb(), f * frameBytes, frameBytes);
        buffer.flip();
        recorder.recordImage(video.width(), video.height(), Frame.DEPTH_UBYTE, 3, video.width() * 3,
            avutil.AV_PIX_FMT_RGB24, buffer);
      }
      recorder.stop();
      recorder.release();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IllegalStateException("MP4 encoding failed: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * A deterministic test clip: a moving colour gradient plus pixel noise (generated videos are noisy, and
   * noise is what makes an encoder work).
   */
  public static VideoFrames syntheticClip(int frames, int height, int width, double fps) {
    byte[] rgb = new byte[frames * height * width * 3];
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    int i = 0;
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int n = rnd.nextInt(24);
          rgb[i++] = (byte) ((x * 255 / width + 4 * f + n) & 0xff);
          rgb[i++] = (byte) ((y * 255 / height + n) & 0xff);
          rgb[i++] = (byte) ((128 + 2 * f + x - y + n) & 0xff);
        }
      }
    }
    return new VideoFrames(frames, height, width, fps, rgb);
  }
}
