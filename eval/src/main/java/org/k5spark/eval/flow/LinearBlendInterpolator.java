package org.k5spark.eval.flow;

import org.k5spark.core.video.VideoFrames;

/**
 * {@code floor((a + b) / 2)} per channel, in integers (what VBench's truncating float path intends, without
 * float ties). Exact for static content; penalises every motion with ghosting, not only irregular motion.
 */
public final class LinearBlendInterpolator implements FrameInterpolator {
  @Override
  public String name() {
    return "linear";
  }

  @Override
  public byte[] midpoint(VideoFrames video, int a, int b) {
    int n = video.frameBytes();
    byte[] rgb = video.rgb();
    byte[] out = new byte[n];
    int oa = a * n;
    int ob = b * n;
    for (int i = 0; i < n; i++) {
      out[i] = (byte) (((rgb[oa + i] & 0xff) + (rgb[ob + i] & 0xff)) >> 1);
    }
    return out;
  }
}
