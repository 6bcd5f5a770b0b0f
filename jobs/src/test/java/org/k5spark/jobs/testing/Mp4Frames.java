package org.k5spark.jobs.testing;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Test helper: decodes an MP4 to RGB frames (independent of the encoder under test). */
public final class Mp4Frames {
  public final List<byte[]> rgb = new ArrayList<>();
  public int width;
  public int height;
  public double fps;
  public String codec;

  public static Mp4Frames decode(InputStream mp4) throws Exception {
    Mp4Frames out = new Mp4Frames();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4)) {
      g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      g.start();
      out.width = g.getImageWidth();
      out.height = g.getImageHeight();
      out.fps = g.getFrameRate();
      out.codec = g.getVideoCodecName();
      Frame f;
      while ((f = g.grabImage()) != null) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        byte[] px = new byte[out.width * out.height * 3];
        for (int y = 0; y < out.height; y++) {
          b.position(y * f.imageStride);
          b.get(px, y * out.width * 3, out.width * 3);
        }
        out.rgb.add(px);
      }
      g.stop();
    }
    return out;
  }

  /** Mean of channel c over a rectangle of frame f. */
  public double mean(int f, int x0, int y0, int w, int h, int c) {
    double s = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        s += rgb.get(f)[(y * width + x) * 3 + c] & 0xff;
      }
    }
    return s / (w * h);
  }
}
