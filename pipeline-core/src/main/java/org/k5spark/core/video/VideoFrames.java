package org.k5spark.core.video;

/**
 * Decoded RGB frames, uint8, frame-major {@code (F, H, W, 3)} in one array (the layout the reference
 * writes to MP4: {@code video_uint8[0].permute(1, 2, 3, 0)}).
 */
public record VideoFrames(int frames, int height, int width, double fps, byte[] rgb) {
  public VideoFrames {
    if (frames <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("empty video " + frames + "x" + height + "x" + width);
    }
    if ((long) frames * height * width * 3 != rgb.length) {
      throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + frames + "*" + height + "*" + width + "*3");
    }
    if (!(fps > 0)) {
      throw new IllegalArgumentException("fps must be positive: " + fps);
    }
  }

  public int frameBytes() {
    return height * width * 3;
  }

  /** Channel {@code c} (0 R, 1 G, 2 B) of pixel (y, x) in frame f, 0..255. */
  public int value(int f, int y, int x, int c) {
    return rgb[((f * height + y) * width + x) * 3 + c] & 0xff;
  }
}
