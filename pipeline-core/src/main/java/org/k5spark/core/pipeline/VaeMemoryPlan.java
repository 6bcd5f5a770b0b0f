package org.k5spark.core.pipeline;

import ai.djl.ndarray.types.Shape;
import org.k5spark.core.vae.DecodeMemory;
import org.k5spark.core.vae.TilingPlan;
import org.k5spark.core.vae.VaeConfig;
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
    return VaeTiling.forced(forced(latent, SPATIAL_TILE, TEMPORAL_TILE));
  }

  /** Share of the free memory a decode may plan to use (allocator fragmentation, the frames' host copy). */
  static final double HEADROOM = 0.8;
  /** Tiles tried, largest first, when the reference's choice does not fit. */
  static final int[] SPATIAL_LADDER = {512, 384, 256, 192, 128, 64};
  static final int[] TEMPORAL_LADDER = {17, 9, 5};

  /**
   * The tiling for a latent {@code (T, H, W, C)} given {@code freeBytes} on the decode device: the
   * reference's own choice (AUTO) when its estimated peak ({@link DecodeMemory}) fits in {@value #HEADROOM}
   * of the free memory, else the largest tile of the ladders that fits, else the smallest (best effort).
   */
  static VaeTiling forMemory(VaeConfig cfg, Shape latent, long freeBytes) {
    long frames = 4 * (latent.get(0) - 1) + 1;
    long h = latent.get(1) * 8;
    long w = latent.get(2) * 8;
    double budget = freeBytes * HEADROOM;
    try {
      TilingPlan auto = TilingPlan.optimal(latent.get(0), latent.get(1), latent.get(2));
      if (DecodeMemory.decodeBytes(cfg, auto, frames, h, w) <= budget) {
        return VaeTiling.AUTO;
      }
    } catch (IllegalArgumentException noTableEntry) {
      // the reference has no tiling for this size: fall through to a forced plan
    }
    TilingPlan best = null;
    long bestVoxels = -1;
    TilingPlan smallest = null;
    for (int s : SPATIAL_LADDER) {
      for (int t : TEMPORAL_LADDER) {
        TilingPlan p = forced(latent, s, t);
        long voxels = (long) p.tileFrames() * p.tileHeight() * p.tileWidth();
        if (smallest == null || voxels < (long) smallest.tileFrames() * smallest.tileHeight() * smallest.tileWidth()) {
          smallest = p;
        }
        if (voxels > bestVoxels && DecodeMemory.decodeBytes(cfg, p, frames, h, w) <= budget) {
          best = p;
          bestVoxels = voxels;
        }
      }
    }
    return VaeTiling.forced(best != null ? best : smallest);
  }

  /** Tiles of at most {@code spatial} pixels and {@code temporal} frames whose strides cover the whole latent. */
  static TilingPlan forced(Shape latent, int spatial, int temporal) {
    int t = (int) latent.get(0);
    int frames = 4 * (t - 1) + 1;
    int ft = Math.min(frames, temporal);
    int fs = coveringStride(t - 1, (ft - 1) / 4, 1) * 4;
    int h = (int) latent.get(1) * 8;
    int w = (int) latent.get(2) * 8;
    int ht = Math.min(h, spatial);
    int wt = Math.min(w, spatial);
    int hs = coveringStride(h / 8, ht / 8, 2) * 8;
    int ws = coveringStride(w / 8, wt / 8, 2) * 8;
    return new TilingPlan(ft, ht, wt, fs == 0 ? ft : fs, hs, ws);
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
