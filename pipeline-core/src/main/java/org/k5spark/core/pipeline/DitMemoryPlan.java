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
   * Peak activations of one sample in a visual block: the feed-forward hidden state (and its GELU) at
   * ff_dim, q/k/v/attention output/residual at model_dim in the compute dtype, and the float32 copies the
   * modulated norms and gated sums make (about four model_dim-wide tensors).
   */
  static long activationBytes(DitParams p, Shape latent, DataType dtype) {
    int[] patch = p.patchSize();
    long tokens = (latent.get(0) / patch[0]) * (latent.get(1) / patch[1]) * (latent.get(2) / patch[2]);
    long bytes = dtype == DataType.FLOAT16 ? 2 : 4;
    return tokens * ((2L * p.ffDim() + 8L * p.modelDim()) * bytes + 4L * p.modelDim() * 4);
  }
}
