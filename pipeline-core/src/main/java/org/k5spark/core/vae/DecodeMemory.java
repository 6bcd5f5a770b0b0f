package org.k5spark.core.vae;

/**
 * An upper estimate of the memory one VAE decode tile needs, for choosing tiles from the free device memory.
 *
 * <p>The decoder's largest activations sit at the output resolution: the second-to-last up block ends with an
 * upsampler whose output has that block's channels at full pixel size, and the last block's resnets run there
 * too: a resnet holds its input, the GroupNorm / SiLU results, the causally padded conv input and the conv
 * output, and the conv kernels' scratch and allocator slack come on top — {@link #LIVE_TENSORS} full-size
 * tensors in all, calibrated on the CPU (tiny VAE, 9 x 192 x 192 untiled: measured peak 209-312 MB over
 * runs, about 9-14 full-resolution tensors besides the output and the attention scores, plus margin for that
 * spread; see DecodeMemoryTest, which first returns the warm-up's freed memory to the OS so the peak is not
 * hidden). Since the convs pad in one libtorch op (one padded copy instead of three) the same decode peaks at
 * 153-201 MB; the estimate is kept, conservative, until it is re-measured on a GPU. The mid-block attention adds its (N x N) score matrix over the tile's latent tokens when the
 * kernel materialises it. Activations are float32 (the VAE runs in
 * float32 in this port).
 */
public final class DecodeMemory {
  /** Full-resolution tensors' worth of memory at the decode peak (measured on CPU: see DecodeMemoryTest). */
  public static final int LIVE_TENSORS = 18;
  private static final long FLOAT = 4;

  private DecodeMemory() {}

  /** Peak bytes of decoding one tile of {@code frames x height x width} output pixels. */
  public static long tileBytes(VaeConfig cfg, long frames, long height, long width) {
    int[] ch = cfg.blockOutChannels();
    // decoder blocks run reversed(block_out_channels): the block before the last has ch[1] channels
    long fullResChannels = Math.max(ch[0], ch.length > 1 ? ch[1] : ch[0]);
    long voxels = frames * height * width;
    long conv = LIVE_TENSORS * fullResChannels * voxels * FLOAT;
    long tokens = ((frames - 1) / cfg.temporalCompressionRatio() + 1) * (height / cfg.spatialCompressionRatio())
        * (width / cfg.spatialCompressionRatio());
    long attention = cfg.midBlockAddAttention() ? tokens * tokens * FLOAT : 0;
    return conv + attention;
  }

  /** The decoded video the tiles are blended into, plus the uint8 copy: kept for the whole decode. */
  public static long outputBytes(VaeConfig cfg, long frames, long height, long width) {
    return (long) cfg.outChannels() * frames * height * width * (2 * FLOAT + 1);
  }

  /** Tile peak plus the output of a decode under {@code plan} of a {@code frames x height x width} video. */
  public static long decodeBytes(VaeConfig cfg, TilingPlan plan, long frames, long height, long width) {
    return tileBytes(cfg, Math.min(plan.tileFrames(), frames), Math.min(plan.tileHeight(), height),
        Math.min(plan.tileWidth(), width)) + outputBytes(cfg, frames, height, width);
  }
}
