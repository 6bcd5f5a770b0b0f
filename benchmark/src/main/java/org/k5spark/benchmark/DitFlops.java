package org.k5spark.benchmark;

/**
 * Explicit FLOP count of one Kandinsky 5 DiT forward (a multiply-add = 2 FLOPs), used for model-FLOP
 * utilisation. Counts the matmuls (projections, attention scores and values, feed-forward, embeddings,
 * modulation); norms, RoPE and activations are O(L·d) and left out, as MFU conventions do.
 *
 * @param visualTokens patches T'·H'·W'
 * @param textTokens   Qwen tokens after the crop
 * @param attendedFraction share of (query, key) pairs self-attention computes: 1 for dense, the NABLA
 *     mask density for sparse attention
 */
public record DitFlops(long modelDim, long ffDim, long timeDim, long textBlocks, long visualBlocks, long inTextDim,
    long inTextDim2, long patchVolume, long inVisualChannels, long outVisualDim) {

  public record Breakdown(double selfAttentionScores, double projections, double crossAttention, double feedForward,
      double other) {
    public double total() {
      return selfAttentionScores + projections + crossAttention + feedForward + other;
    }
  }

  /** The counts for a config's {@code dit_params}. */
  public static DitFlops of(org.k5spark.core.config.DitParams p) {
    return new DitFlops(p.modelDim(), p.ffDim(), p.timeDim(), p.numTextBlocks(), p.numVisualBlocks(), p.inTextDim(),
        p.inTextDim2(), p.patchVolume(), p.visualEmbedDim(), p.outVisualDim());
  }

  /** Patch tokens of a latent (T, H, W, C) under {@code patch_size}. */
  public static long visualTokens(long[] latentThw, int[] patchSize) {
    return (latentThw[0] / patchSize[0]) * (latentThw[1] / patchSize[1]) * (latentThw[2] / patchSize[2]);
  }

  public Breakdown forward(long visualTokens, long textTokens, double attendedFraction) {
    double d = modelDim;
    double lv = visualTokens;
    double lt = textTokens;
    // visual self-attention: q/k/v/out projections and the two L×L matmuls (QKᵀ, PV)
    double vProj = 4 * 2 * lv * d * d;
    double vScores = 2 * 2 * lv * lv * d * attendedFraction;
    // cross-attention: q/out over visual tokens, k/v over text tokens, scores/values L_v × L_t
    double cross = 2 * 2 * lv * d * d + 2 * 2 * lt * d * d + 2 * 2 * lv * lt * d;
    double vFf = 2 * 2 * lv * d * ffDim;
    double tProj = 4 * 2 * lt * d * d;
    double tScores = 2 * 2 * lt * lt * d;
    double tFf = 2 * 2 * lt * d * ffDim;
    double modulation = 2 * d * (9 * d) * visualBlocks + 2 * d * (6 * d) * textBlocks + 2 * d * 2 * d;
    double embed = 2 * lt * inTextDim * d + 2 * lv * (patchVolume * inVisualChannels) * d
        + 2 * inTextDim2 * timeDim + 2 * (d * timeDim + timeDim * timeDim)
        + 2 * lv * d * (patchVolume * outVisualDim);
    return new Breakdown(
        visualBlocks * vScores + textBlocks * tScores,
        visualBlocks * vProj + textBlocks * tProj,
        visualBlocks * cross,
        visualBlocks * vFf + textBlocks * tFf,
        modulation + embed);
  }
}
