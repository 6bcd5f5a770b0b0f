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
  private final Modulation modulation;
  private final MultiheadAttention selfAttention;
  private final MultiheadAttention crossAttention;
  private final FeedForward feedForward;

  VisualBlock(DitWeights w, String prefix, int heads, int headDim) {
    this.modulation = new Modulation(w, prefix + ".visual_modulation.out_layer", 9);
    this.selfAttention = new MultiheadAttention(w, prefix + ".self_attention", heads, headDim);
    this.crossAttention = new MultiheadAttention(w, prefix + ".cross_attention", heads, headDim);
    this.feedForward = new FeedForward(w, prefix + ".feed_forward");
  }

  NDArray forward(NDArray x, NDArray text, NDArray timeEmbed, Rope.Table rope, AttentionBackend backend,
      NablaAttention nabla, Modulation.NormParams norm) {
    return forward(x, text, timeEmbed, rope, backend, nabla, norm, null);
  }

  /**
   * Batched form: x (B, L, D), text (B, Lc, D) padded to the longest text, timeEmbed (B, 1, time_dim),
   * textMask BOOLEAN (B, 1, 1, Lc) marking each sample's real text tokens.
   */
  NDArray forward(NDArray x, NDArray text, NDArray timeEmbed, Rope.Table rope, AttentionBackend backend,
      NablaAttention nabla, Modulation.NormParams norm, NDArray textMask) {
    NDList m = modulation.params(timeEmbed);
    NDArray h = Modulation.scaleShiftNorm(x, m.get(1), m.get(0), norm);
    x = Modulation.gateSum(x, selfAttention.forward(h, h, rope, backend, nabla, null), m.get(2));
    h = Modulation.scaleShiftNorm(x, m.get(4), m.get(3), norm);
    x = Modulation.gateSum(x, crossAttention.forward(h, text, null, backend, null, textMask), m.get(5));
    h = Modulation.scaleShiftNorm(x, m.get(7), m.get(6), norm);
    return Modulation.gateSum(x, feedForward.forward(h), m.get(8));
  }
}
