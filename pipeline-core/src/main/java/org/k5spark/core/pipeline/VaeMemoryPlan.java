package org.k5spark.core.pipeline;

import ai.djl.ndarray.types.Shape;
import org.k5spark.core.vae.TilingPlan;
import org.k5spark.core.vae.VaeTiling;

/**
 * The VAE tiling a request gets: the reference's own choice by default, or — when a request asks for a
 * smaller memory plan (e.g. the retry after an out-of-memory) — small tiles whose strides still cover the
 * whole latent (the reference's loops only start tiles that fit, so a stride that does not divide the
 * remainder would crop the video).
 */
final class VaeMemoryPlan {
  static final int SPATIAL_TILE = 256;
  static final int TEMPORAL_TILE = 17;

  private VaeMemoryPlan() {}

  static VaeTiling tiling(org.k5spark.core.pipeline.VideoRequest req, Shape latent) {
    if (!req.vaeTiling()) {
      return VaeTiling.AUTO;
    }
    int t = (int) latent.get(0);
    int frames = 4 * (t - 1) + 1;
    int ft = Math.min(frames, TEMPORAL_TILE);
    int fs = coveringStride(t - 1, (ft - 1) / 4, 1) * 4;
    int h = (int) latent.get(1) * 8;
    int w = (int) latent.get(2) * 8;
    int ht = Math.min(h, SPATIAL_TILE);
    int wt = Math.min(w, SPATIAL_TILE);
    int hs = coveringStride(h / 8, ht / 8, 2) * 8;
    int ws = coveringStride(w / 8, wt / 8, 2) * 8;
    return VaeTiling.forced(new TilingPlan(ft, ht, wt, fs == 0 ? ft : fs, hs, ws));
  }

  /**
   * The largest stride {@code s <= tile - overlap} (at least 1) with {@code (size - tile) % s == 0}, so
   * tiles start at 0, s, 2s, … and the last one ends exactly at {@code size}; {@code tile} when one tile
   * covers everything.
   */
  static int coveringStride(int size, int tile, int overlap) {
    if (tile >= size) {
      return Math.max(tile, 1);
    }
    for (int s = Math.max(tile - overlap, 1); s >= 1; s--) {
      if ((size - tile) % s == 0) {
        return s;
      }
    }
    return 1;
  }
}
