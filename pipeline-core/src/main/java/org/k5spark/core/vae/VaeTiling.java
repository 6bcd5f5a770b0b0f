package org.k5spark.core.vae;

import java.util.Locale;

/**
 * How a decode is tiled: {@link Mode#AUTO} = the reference's {@code get_dec_optimal_tiling} (with its
 * statefulness, see {@link HunyuanVae}); {@link Mode#FORCED} = a fixed {@link TilingPlan} in place of
 * {@code get_dec_optimal_tiling} (everything else the reference's code path); {@link Mode#OFF} = the whole
 * latent in one piece ({@code decoder(post_quant_conv(z))}), unbounded memory.
 */
public record VaeTiling(Mode mode, TilingPlan override) {
  public enum Mode { AUTO, FORCED, OFF }

  public static final VaeTiling AUTO = new VaeTiling(Mode.AUTO, null);
  public static final VaeTiling OFF = new VaeTiling(Mode.OFF, null);

  public VaeTiling {
    if ((mode == Mode.FORCED) != (override != null)) {
      throw new IllegalArgumentException("a tiling override is given exactly when the mode is FORCED");
    }
  }

  public static VaeTiling forced(TilingPlan plan) {
    return new VaeTiling(Mode.FORCED, plan);
  }

  /**
   * Parses {@code auto}, {@code off} or {@code ft,ht,wt/fs,hs,ws} (pixel tile and stride, e.g.
   * {@code 17,256,256/12,192,192}).
   */
  public static VaeTiling parse(String spec) {
    String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "auto", "" -> {
        return AUTO;
      }
      case "off", "none", "untiled" -> {
        return OFF;
      }
      default -> {
        String[] halves = s.split("/");
        if (halves.length != 2) {
          throw new IllegalArgumentException("VAE tiling '" + spec + "': expected auto, off or ft,ht,wt/fs,hs,ws");
        }
        int[] t = ints(halves[0], spec);
        int[] st = ints(halves[1], spec);
        return forced(new TilingPlan(t[0], t[1], t[2], st[0], st[1], st[2]));
      }
    }
  }

  private static int[] ints(String part, String spec) {
    String[] p = part.split(",");
    if (p.length != 3) {
      throw new IllegalArgumentException("VAE tiling '" + spec + "': expected three numbers in '" + part + "'");
    }
    int[] v = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        v[i] = Integer.parseInt(p[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("VAE tiling '" + spec + "': '" + p[i] + "' is not an integer", e);
      }
    }
    return v;
  }

  @Override
  public String toString() {
    return switch (mode) {
      case AUTO -> "auto";
      case OFF -> "off";
      case FORCED -> override.tileFrames() + "," + override.tileHeight() + "," + override.tileWidth() + "/"
          + override.strideFrames() + "," + override.strideHeight() + "," + override.strideWidth();
    };
  }
}
