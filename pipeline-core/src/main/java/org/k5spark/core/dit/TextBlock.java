package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.k5spark.core.dit.attention.AttentionBackend;

/** TransformerEncoderBlock: modulated self-attention (1-D RoPE) and feed-forward over the text tokens. */
final class TextBlock {
  private final Modulation modulation;
  private final MultiheadAttention selfAttention;
  private final FeedForward feedForward;

  TextBlock(DitWeights w, String prefix, int heads, int headDim) {
    this.modulation = new Modulation(w, prefix + ".text_modulation.out_layer", 6);
    this.selfAttention = new MultiheadAttention(w, prefix + ".self_attention", heads, headDim);
    this.feedForward = new FeedForward(w, prefix + ".feed_forward");
  }

  NDArray forward(NDArray x, NDArray timeEmbed, Rope.Table rope, AttentionBackend backend,
      Modulation.NormParams norm) {
    NDList m = modulation.params(timeEmbed);
    NDArray h = Modulation.scaleShiftNorm(x, m.get(1), m.get(0), norm);
    x = Modulation.gateSum(x, selfAttention.forward(h, h, rope, backend, null, null), m.get(2));
    h = Modulation.scaleShiftNorm(x, m.get(4), m.get(3), norm);
    return Modulation.gateSum(x, feedForward.forward(h), m.get(5));
  }
}
