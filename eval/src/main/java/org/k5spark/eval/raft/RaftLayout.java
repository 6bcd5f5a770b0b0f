package org.k5spark.eval.raft;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter names and shapes of the original RAFT (princeton-vl, "things" model as vendored by VBench:
 * {@code small=False}, hidden 128, context 128, 4 correlation levels of radius 4), without the DataParallel
 * {@code module.} prefix raft-things.pth carries. 5,257,536 trainable parameters.
 *
 * <p>Only what the forward pass reads is listed: the context encoder's {@code layerN.0.norm3} is the same
 * module as {@code layerN.0.downsample.1} upstream (the state_dict holds it twice, the later key wins on load),
 * and {@code num_batches_tracked} is unused in eval mode; both are ignored when present.
 */
public final class RaftLayout {
  public static final int HIDDEN = 128;
  public static final int CONTEXT = 128;
  public static final int LEVELS = 4;
  public static final int RADIUS = 4;
  public static final int FEATURE_DIM = 256;
  /** Correlation features per pixel fed to the motion encoder: levels * (2r+1)^2. */
  public static final int CORR_PLANES = LEVELS * (2 * RADIUS + 1) * (2 * RADIUS + 1);

  private RaftLayout() {}

  /** Every used key (no prefix) with its shape, in module order. */
  public static Map<String, long[]> shapes() {
    Map<String, long[]> m = new LinkedHashMap<>();
    encoder(m, "fnet", FEATURE_DIM, false);
    encoder(m, "cnet", HIDDEN + CONTEXT, true);
    String e = "update_block.encoder.";
    conv(m, e + "convc1", 256, CORR_PLANES, 1, 1);
    conv(m, e + "convc2", 192, 256, 3, 3);
    conv(m, e + "convf1", 128, 2, 7, 7);
    conv(m, e + "convf2", 64, 128, 3, 3);
    conv(m, e + "conv", 128 - 2, 64 + 192, 3, 3);
    int gruIn = HIDDEN + 128 + HIDDEN;
    for (String g : new String[] {"z", "r", "q"}) {
      conv(m, "update_block.gru.conv" + g + "1", HIDDEN, gruIn, 1, 5);
    }
    for (String g : new String[] {"z", "r", "q"}) {
      conv(m, "update_block.gru.conv" + g + "2", HIDDEN, gruIn, 5, 1);
    }
    conv(m, "update_block.flow_head.conv1", 256, HIDDEN, 3, 3);
    conv(m, "update_block.flow_head.conv2", 2, 256, 3, 3);
    conv(m, "update_block.mask.0", 256, 128, 3, 3);
    conv(m, "update_block.mask.2", 64 * 9, 256, 1, 1);
    return m;
  }

  /** Keys a checkpoint may hold that the forward pass does not read (see class comment). */
  public static boolean ignored(String key) {
    return key.endsWith(".num_batches_tracked") || key.matches("cnet\\.layer[23]\\.0\\.norm3\\..*")
        || key.matches("fnet\\.layer[23]\\.0\\.norm3\\..*");
  }

  private static void encoder(Map<String, long[]> m, String p, int outDim, boolean batchNorm) {
    conv(m, p + ".conv1", 64, 3, 7, 7);
    if (batchNorm) {
      bn(m, p + ".norm1", 64);
    }
    int in = 64;
    int[] dims = {64, 96, 128};
    for (int l = 0; l < 3; l++) {
      int d = dims[l];
      for (int b = 0; b < 2; b++) {
        String q = p + ".layer" + (l + 1) + "." + b;
        conv(m, q + ".conv1", d, b == 0 ? in : d, 3, 3);
        conv(m, q + ".conv2", d, d, 3, 3);
        if (batchNorm) {
          bn(m, q + ".norm1", d);
          bn(m, q + ".norm2", d);
        }
        if (b == 0 && l > 0) {
          conv(m, q + ".downsample.0", d, in, 1, 1);
          if (batchNorm) {
            bn(m, q + ".downsample.1", d);
          }
        }
      }
      in = d;
    }
    conv(m, p + ".conv2", outDim, 128, 1, 1);
  }

  private static void conv(Map<String, long[]> m, String p, int out, int in, int kh, int kw) {
    m.put(p + ".weight", new long[] {out, in, kh, kw});
    m.put(p + ".bias", new long[] {out});
  }

  private static void bn(Map<String, long[]> m, String p, int c) {
    for (String s : new String[] {"weight", "bias", "running_mean", "running_var"}) {
      m.put(p + "." + s, new long[] {c});
    }
  }
}
