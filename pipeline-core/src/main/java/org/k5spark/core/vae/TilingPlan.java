package org.k5spark.core.vae;

import java.util.Map;

/**
 * The reference's tiling choice ({@code get_dec_optimal_tiling}) and the state {@code apply_tiling}
 * leaves behind, in pixel units.
 *
 * @param tileFrames {@code ft} of the tile {@code (1, ft, ht, wt)}
 * @param strideFrames {@code fs} of the stride {@code (fs, hs, ws)}
 */
public record TilingPlan(int tileFrames, int tileHeight, int tileWidth, int strideFrames, int strideHeight,
    int strideWidth) {

  /** {@code OPT_TEMPORAL_TILING}: pixel frame count → (tile frames, stride frames). */
  static final Map<Integer, int[]> TEMPORAL = Map.ofEntries(
      e(1, 1, 1), e(17, 17, 17), e(21, 13, 8), e(25, 17, 8), e(29, 17, 12), e(33, 21, 12), e(37, 21, 16),
      e(41, 17, 12), e(45, 21, 12), e(49, 17, 8), e(53, 21, 16), e(57, 21, 12), e(61, 13, 8), e(65, 17, 12),
      e(69, 21, 16), e(73, 17, 8), e(77, 17, 12), e(81, 21, 12), e(85, 21, 16), e(89, 17, 12), e(93, 21, 12),
      e(97, 17, 8), e(101, 21, 16), e(105, 21, 12), e(109, 13, 8), e(113, 17, 12), e(117, 21, 16), e(121, 17, 8),
      e(125, 17, 12), e(129, 21, 12), e(133, 21, 16), e(137, 17, 12), e(141, 21, 12), e(145, 17, 8),
      e(149, 21, 16), e(153, 21, 12), e(157, 13, 8), e(161, 17, 12), e(165, 21, 16), e(169, 17, 8),
      e(173, 17, 12), e(177, 21, 12), e(181, 21, 16), e(185, 17, 12), e(189, 21, 12), e(193, 17, 8),
      e(197, 21, 16), e(201, 21, 12), e(205, 13, 8), e(209, 17, 12), e(213, 21, 16), e(217, 17, 8),
      e(221, 17, 12), e(225, 21, 12), e(229, 21, 16), e(233, 17, 12), e(237, 21, 12), e(241, 17, 8));

  /** {@code OPT_SPATIAL_TILING}: pixel height or width → (tile, stride). */
  static final Map<Integer, int[]> SPATIAL = Map.ofEntries(
      e(160, 160, 160), e(192, 192, 192), e(224, 224, 224), e(256, 256, 256), e(288, 288, 288),
      e(320, 320, 320), e(352, 352, 352), e(384, 384, 384), e(448, 448, 448), e(512, 288, 224),
      e(576, 320, 256), e(640, 352, 288), e(704, 384, 320), e(768, 416, 352), e(896, 480, 416),
      e(1024, 544, 480), e(1152, 608, 544), e(1280, 672, 608), e(1408, 736, 672));

  private static Map.Entry<Integer, int[]> e(int key, int tile, int stride) {
    return Map.entry(key, new int[] {tile, stride});
  }

  public TilingPlan {
    if (tileFrames < 1 || tileHeight < 1 || tileWidth < 1 || strideFrames < 1 || strideHeight < 1
        || strideWidth < 1) {
      throw new IllegalArgumentException("tiling sizes must be positive: " + this);
    }
  }

  /** From the reference's {@code (tile, stride)} pair: tile {@code (1, ft, ht, wt)}, stride {@code (fs, hs, ws)}. */
  public static TilingPlan of(int[] tile, int[] stride) {
    if (tile.length != 4 || stride.length != 3) {
      throw new IllegalArgumentException("tile must be (1, ft, ht, wt) and stride (fs, hs, ws)");
    }
    return new TilingPlan(tile[1], tile[2], tile[3], stride[0], stride[1], stride[2]);
  }

  /**
   * {@code get_dec_optimal_tiling} for a latent of {@code latentFrames x latentHeight x latentWidth}: it
   * works on the pixel shape with the literal factors 4 and 8, like the reference.
   *
   * @throws IllegalArgumentException where the reference raises a KeyError (frame count or side missing
   *     from its tables)
   */
  public static TilingPlan optimal(long latentFrames, long latentHeight, long latentWidth) {
    long f = 4 * (latentFrames - 1) + 1;
    long h = 8 * latentHeight;
    long w = 8 * latentWidth;
    double side = Math.sqrt((double) h * w);
    int ft;
    int fs;
    if (side < 450 && f <= 97) {
      ft = (int) f;
      fs = (int) f;
    } else {
      int[] t = lookup(TEMPORAL, f, "frame count");
      ft = t[0];
      fs = t[1];
    }
    int ht;
    int hs;
    int wt;
    int ws;
    if (side > 900) {
      int[] th = lookup(SPATIAL, h, "height");
      int[] tw = lookup(SPATIAL, w, "width");
      ht = th[0];
      hs = th[1];
      wt = tw[0];
      ws = tw[1];
    } else {
      ht = (int) h;
      hs = (int) h;
      wt = (int) w;
      ws = (int) w;
    }
    return new TilingPlan(ft, ht, wt, fs, hs, ws);
  }

  private static int[] lookup(Map<Integer, int[]> table, long key, String what) {
    int[] v = key <= Integer.MAX_VALUE ? table.get((int) key) : null;
    if (v == null) {
      throw new IllegalArgumentException("the reference's VAE tiling table has no entry for pixel " + what + " " + key
          + " (OPT_" + (table == TEMPORAL ? "TEMPORAL" : "SPATIAL") + "_TILING raises KeyError); pass a tiling override");
    }
    return v;
  }

  /** The tile as the reference compares it ({@code self.tile_size}): {@code (1, ft, ht, wt)}. */
  public int[] tile() {
    return new int[] {1, tileFrames, tileHeight, tileWidth};
  }

  public boolean sameTile(TilingPlan o) {
    return o != null && tileFrames == o.tileFrames && tileHeight == o.tileHeight && tileWidth == o.tileWidth;
  }

  /** {@code tile_sample_min_num_frames} after {@code apply_tiling}: {@code ft - 1}. */
  public int minFrames() {
    return tileFrames - 1;
  }
}
