package org.k5spark.eval;

import java.util.Random;
import org.k5spark.core.video.VideoFrames;

/** Small synthetic clips with known answers for metric tests. */
public final class SyntheticVideos {
  private SyntheticVideos() {
  }

  /** Smooth 2-D texture (both axes, so optical flow has no aperture problem), 0..255. */
  public static int texture(double x, double y) {
    double v = 128 + 55 * Math.sin(2 * Math.PI * x / 13.0) + 45 * Math.cos(2 * Math.PI * y / 17.0)
        + 20 * Math.sin(2 * Math.PI * (x + y) / 29.0);
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** The same textured frame repeated. */
  public static VideoFrames still(int frames, int h, int w, double fps) {
    byte[] rgb = new byte[frames * h * w * 3];
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int t = texture(x, y);
          set(rgb, h, w, f, y, x, t, 255 - t, (t + 64) % 256);
        }
      }
    }
    return new VideoFrames(frames, h, w, fps, rgb);
  }

  /**
   * A textured {@code side}x{@code side} square on a flat grey background, moving right by {@code dx} and down
   * by {@code dy} pixels per frame; the texture moves with the square. Top-left corner at (x0, y0) in frame 0.
   */
  public static VideoFrames movingSquare(int frames, int h, int w, double fps, int side, int x0, int y0, int dx, int dy) {
    byte[] rgb = new byte[frames * h * w * 3];
    for (int f = 0; f < frames; f++) {
      int sx = x0 + f * dx;
      int sy = y0 + f * dy;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean inside = x >= sx && x < sx + side && y >= sy && y < sy + side;
          int t = inside ? texture(x - sx, y - sy) : 100;
          set(rgb, h, w, f, y, x, t, t, t);
        }
      }
    }
    return new VideoFrames(frames, h, w, fps, rgb);
  }

  /** Independent uniform noise in every frame. */
  public static VideoFrames noise(int frames, int h, int w, double fps, long seed) {
    byte[] rgb = new byte[frames * h * w * 3];
    new Random(seed).nextBytes(rgb);
    return new VideoFrames(frames, h, w, fps, rgb);
  }

  /** Frames 0..cutAt-1 show one still scene, frames cutAt.. a different (darker, differently textured) one. */
  public static VideoFrames hardCut(int frames, int h, int w, double fps, int cutAt) {
    byte[] rgb = new byte[frames * h * w * 3];
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int t = f < cutAt ? texture(x, y) : 20 + texture(y * 0.5, x * 0.7) / 4;
          set(rgb, h, w, f, y, x, t, t, t);
        }
      }
    }
    return new VideoFrames(frames, h, w, fps, rgb);
  }

  /** Builds a clip from per-frame constant colours: {@code values[f]} for every sample of frame f. */
  public static VideoFrames constantFrames(int h, int w, double fps, int... values) {
    byte[] rgb = new byte[values.length * h * w * 3];
    int n = h * w * 3;
    for (int f = 0; f < values.length; f++) {
      for (int i = 0; i < n; i++) {
        rgb[f * n + i] = (byte) values[f];
      }
    }
    return new VideoFrames(values.length, h, w, fps, rgb);
  }

  private static void set(byte[] rgb, int h, int w, int f, int y, int x, int r, int g, int b) {
    int o = ((f * h + y) * w + x) * 3;
    rgb[o] = (byte) r;
    rgb[o + 1] = (byte) g;
    rgb[o + 2] = (byte) b;
  }
}
