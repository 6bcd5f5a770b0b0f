package org.k5spark.core.pipeline;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.dit.DiffusionTransformer3D;

/**
 * Whether the cond and uncond DiT calls of a guided step run as one batch of two. Batching does not reduce the
 * work; it halves the op dispatches and makes the GEMMs larger (measured 1.29x per step on the 2-core CPU at
 * one OpenMP thread, 1.09x with two: benchmark/RESULTS.md, "Speed (issue 10)"; on a GPU one launch per op
 * serves both), at the cost of a second set of visual activations — so only when those fit.
 */
final class DitMemoryPlan {
  /** Share of the free device memory the second sample's activations may take. */
  static final double CFG_BATCH_SHARE = 0.5;

  private DitMemoryPlan() {}

  static boolean batchCfg(DiffusionTransformer3D dit, Shape latent, long freeBytes) {
    return batchCfg(dit.params(), dit.attention(), latent, dit.dtype(), freeBytes);
  }

  static boolean batchCfg(DitParams p, AttentionConfig attention, Shape latent, DataType dtype, long freeBytes) {
    if (attention.nabla()) {
      return false; // NABLA attention runs per sample anyway
    }
    return 2 * activationBytes(p, latent, dtype) <= freeBytes * CFG_BATCH_SHARE;
  }

  /**
   * Peak activations of one sample in a visual block. Every temporary of a block lives until the block's
   * sub-manager closes, so the peak is their sum, counted per token from VisualBlock: the three modulated
   * norms (float32 copy, LayerNorm, scale, shift: 4 model_dim-wide float32 each) and the three gated sums
   * (float32 casts of both operands and the sum: 3 each) make 21 float32 model_dim tensors; self-attention
   * (input cast, fused q/k/v, q/k RMSNorm and rotary temporaries, attention output, its merge, out projection:
   * about 14), cross-attention's query side (5), the norms' casts (3) and the feed-forward output make 23 in
   * the compute dtype, plus the feed-forward's two ff_dim-wide tensors (linear, GELU). Measured on the CPU in
   * float32 with large blocks mapped one by one (MemoryPlanMeasuredTest, model_dim 512, ff 2048, 1024 tokens):
   * 78-82 MB per call and 178-179 MB for the batched pair against 109 / 218 MB planned (earlier, at 2304
   * tokens under glibc's default malloc: 147-190 MB, and 170 MB at ff 1024, against 245 / 226 MB). float16 on
   * the CPU measured 206 MB against 172 MB planned at 2304 tokens: libtorch's CPU half kernels widen operands
   * to float32 internally, which a GPU does not; the fp16 figure is the GPU's to confirm.
   */
  static long activationBytes(DitParams p, Shape latent, DataType dtype) {
    int[] patch = p.patchSize();
    long tokens = (latent.get(0) / patch[0]) * (latent.get(1) / patch[1]) * (latent.get(2) / patch[2]);
    long bytes = dtype == DataType.FLOAT16 ? 2 : 4;
    return tokens * ((2L * p.ffDim() + 23L * p.modelDim()) * bytes + 21L * p.modelDim() * 4);
  }
}
