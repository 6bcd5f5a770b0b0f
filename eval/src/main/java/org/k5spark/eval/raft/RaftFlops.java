package org.k5spark.eval.raft;

import java.util.Map;

/**
 * Floating-point operations of one RAFT call on a padded Hp x Wp pair (multiply-add = 2 FLOP): every conv of
 * {@link RaftLayout} at its resolution (encoders: conv1 and layer1 at 1/2, layer2 at 1/4, layer3 and conv2 at
 * 1/8; feature encoder on both frames, context encoder on the first), the all-pairs correlation matmul, and
 * per iteration the update block's convs at 1/8 plus the final convex upsampling. Norms, activations, GRU
 * gates, pooling and the grid_sample lookups are element-wise and left out (well under 1 %).
 */
public final class RaftFlops {
  private RaftFlops() {}

  public static double perPair(long hp, long wp, int iters) {
    Map<String, long[]> s = RaftLayout.shapes();
    double fnet = encoder(s, "fnet", hp, wp);
    double cnet = encoder(s, "cnet", hp, wp);
    long h8 = hp / 8;
    long w8 = wp / 8;
    double px = (double) h8 * w8;
    double corr = 2.0 * px * px * RaftLayout.FEATURE_DIM;
    double update = 0;
    for (var e : s.entrySet()) {
      if (e.getKey().startsWith("update_block.") && e.getKey().endsWith(".weight")) {
        update += macs(e.getValue()) * px * 2;
      }
    }
    double upsample = 2.0 * 2 * 9 * 64 * px;
    return 2 * fnet + cnet + corr + iters * update + upsample;
  }

  private static double encoder(Map<String, long[]> s, String p, long hp, long wp) {
    double f = 0;
    for (var e : s.entrySet()) {
      String k = e.getKey();
      if (!k.startsWith(p + ".") || !k.endsWith(".weight") || e.getValue().length != 4) {
        continue;
      }
      int down = k.startsWith(p + ".conv1") || k.startsWith(p + ".layer1") ? 2
          : k.startsWith(p + ".layer2") ? 4 : 8;
      f += macs(e.getValue()) * (double) (hp / down) * (wp / down) * 2;
    }
    return f;
  }

  private static double macs(long[] w) {
    return (double) w[0] * w[1] * w[2] * w[3];
  }
}
