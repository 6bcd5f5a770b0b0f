package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.dit.nabla.NablaAttention;

/**
 * TransformerDecoderBlock: modulated self-attention over the visual tokens (3-D RoPE, dense or NABLA),
 * cross-attention to the text tokens, feed-forward.
 */
final class VisualBlock {
  private final Modulation.Slot modulation;
  private final MultiheadAttention selfAttention;
  private final MultiheadAttention crossAttention;
  private final FeedForward feedForward;

  VisualBlock(DitWeights w, String prefix, int heads, int headDim, Modulation.Builder modulations) {
    this.modulation = modulations.add(prefix + ".visual_modulation.out_layer", 9);
    this.selfAttention = new MultiheadAttention(w, prefix + ".self_attention", heads, headDim, true);
    this.crossAttention = new MultiheadAttention(w, prefix + ".cross_attention", heads, headDim, false);
    this.feedForward = new FeedForward(w, prefix + ".feed_forward");
  }

  NDArray forward(NDArray x, NDArray text, NDList mods, Rope.Table rope, AttentionBackend backend,
      NablaAttention nabla, Modulation.NormParams norm) {
    return forward(x, text, mods, rope, backend, nabla, norm, null);
  }

  /**
   * Batched form: x (B, L, D), text (B, Lc, D) padded to the longest text, mods from a (B, 1, time_dim) time
   * embedding, textMask BOOLEAN (B, 1, 1, Lc) marking each sample's real text tokens.
   */
  NDArray forward(NDArray x, NDArray text, NDList mods, Rope.Table rope, AttentionBackend backend,
      NablaAttention nabla, Modulation.NormParams norm, NDArray textMask) {
    Modulation.Slot m = modulation;
    NDArray h = Modulation.scaleShiftNorm(x, m.get(mods, 1), m.get(mods, 0), norm);
    x = Modulation.gateSum(x, selfAttention.forward(h, h, rope, backend, nabla, null), m.get(mods, 2));
    h = Modulation.scaleShiftNorm(x, m.get(mods, 4), m.get(mods, 3), norm);
    x = Modulation.gateSum(x, crossAttention.forward(h, text, null, backend, null, textMask), m.get(mods, 5));
    h = Modulation.scaleShiftNorm(x, m.get(mods, 7), m.get(mods, 6), norm);
    return Modulation.gateSum(x, feedForward.forward(h), m.get(mods, 8));
  }
}
