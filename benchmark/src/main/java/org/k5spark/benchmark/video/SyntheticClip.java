package org.k5spark.benchmark.video;

import java.util.SplittableRandom;
import org.k5spark.core.video.VideoFrames;

/**
 * A deterministic clip to encode: a moving colour gradient plus pixel noise (generated videos are noisy, and
 * noise is what makes an encoder work).
 */
public final class SyntheticClip {
  private SyntheticClip() {}

  public static VideoFrames of(int frames, int height, int width, double fps) {
    byte[] rgb = new byte[frames * height * width * 3];
    SplittableRandom rnd = new SplittableRandom(5);
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
