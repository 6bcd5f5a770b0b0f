package org.k5spark.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.sampler.LatentGeometry;
import org.k5spark.core.vae.DecodeMemory;
import org.k5spark.core.vae.TilingPlan;
import org.k5spark.core.vae.VaeConfig;
import org.k5spark.core.vae.VaeTiling;

/** VAE tiling from free memory, and the CFG batching estimate, on the real variant's shapes. */
class MemoryPlanTest {
  /** HunyuanVideo's VAE (vae/config.json of the release). */
  static final VaeConfig HUNYUAN = new VaeConfig(3, 3, 16, new int[] {128, 256, 512, 512}, 2, 32, "silu", 0.476986,
      8, 4, true, "hunyuan config.json");
  static final long GIB = 1L << 30;

  @Test
  void referenceTilingWhenItFitsSmallerTilesWhenNot() {
    Shape latent = LatentGeometry.latentShape(ModelConfig.embedded("sft_5s"), 512, 768, 5); // (31, 64, 96, 16)
    long frames = 121;
    long h = 512;
    long w = 768;
    TilingPlan auto = TilingPlan.optimal(31, 64, 96);
    long autoBytes = DecodeMemory.decodeBytes(HUNYUAN, auto, frames, h, w);
    assertEquals(VaeTiling.AUTO, VaeMemoryPlan.forMemory(HUNYUAN, latent, (long) (autoBytes / VaeMemoryPlan.HEADROOM) + 1));
    long prev = Long.MAX_VALUE;
    for (long free : new long[] {autoBytes, 24 * GIB, 12 * GIB, 6 * GIB}) {
      VaeTiling t = VaeMemoryPlan.forMemory(HUNYUAN, latent, free);
      assertEquals(VaeTiling.Mode.FORCED, t.mode(), "free " + free);
      TilingPlan p = t.override();
      long need = DecodeMemory.decodeBytes(HUNYUAN, p, frames, h, w);
      assertTrue(need <= free * VaeMemoryPlan.HEADROOM, free + ": plan " + p + " needs " + need);
      long voxels = (long) p.tileFrames() * p.tileHeight() * p.tileWidth();
      assertTrue(voxels <= prev, "less memory must not give larger tiles");
      prev = voxels;
      assertCovers(p, latent);
    }
    // nothing fits: the smallest tile of the ladders, still covering the video
    TilingPlan least = VaeMemoryPlan.forMemory(HUNYUAN, latent, 1).override();
    assertEquals(64, least.tileHeight());
    assertEquals(5, least.tileFrames());
    assertCovers(least, latent);
  }

  /** Tiles start at 0, stride, 2 stride, ... and the last one ends exactly at the edge (no crop). */
  private static void assertCovers(TilingPlan p, Shape latent) {
    long[] size = {latent.get(0) - 1, latent.get(1), latent.get(2)};
    long[] tile = {(p.tileFrames() - 1) / 4, p.tileHeight() / 8, p.tileWidth() / 8};
    long[] stride = {p.strideFrames() / 4, p.strideHeight() / 8, p.strideWidth() / 8};
    for (int a = 0; a < 3; a++) {
      if (tile[a] < size[a]) {
        assertEquals(0, (size[a] - tile[a]) % stride[a], "axis " + a + " of " + p);
        assertTrue(stride[a] <= tile[a], "axis " + a + " of " + p);
      }
    }
  }

  @Test
  void cfgBatchingNeedsRoomForASecondSample() {
    ModelConfig sft = ModelConfig.embedded("sft_5s");
    DitParams p = sft.ditParams();
    Shape latent = LatentGeometry.latentShape(sft, 512, 768, 5);
    long tokens = 31L * 32 * 48;
    long fp16 = DitMemoryPlan.activationBytes(p, latent, DataType.FLOAT16);
    assertEquals(tokens * ((2L * p.ffDim() + 23L * p.modelDim()) * 2 + 84L * p.modelDim()), fp16);
    assertTrue(fp16 > 11 * GIB && fp16 < 12 * GIB, "per-sample activations " + fp16); // 11.6 GiB
    assertTrue(2 * fp16 <= 74 * GIB * DitMemoryPlan.CFG_BATCH_SHARE, "an 80 GB card (74 GiB free) batches");
    assertFalse(2 * fp16 <= 34 * GIB * DitMemoryPlan.CFG_BATCH_SHARE, "a 40 GB card (34 GiB free) does not");
  }
}
