package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.k5spark.core.dit.attention.AttentionBackend;

/** TransformerEncoderBlock: modulated self-attention (1-D RoPE) and feed-forward over the text tokens. */
final class TextBlock {
  private final Modulation.Slot modulation;
  private final MultiheadAttention selfAttention;
  private final FeedForward feedForward;

  TextBlock(DitWeights w, String prefix, int heads, int headDim, Modulation.Builder modulations) {
    this.modulation = modulations.add(prefix + ".text_modulation.out_layer", 6);
    this.selfAttention = new MultiheadAttention(w, prefix + ".self_attention", heads, headDim, true);
    this.feedForward = new FeedForward(w, prefix + ".feed_forward");
  }

  /** @param mods the chunks of every modulation layer ({@link Modulation#params}) */
  NDArray forward(NDArray x, NDList mods, Rope.Table rope, AttentionBackend backend, Modulation.NormParams norm) {
    Modulation.Slot m = modulation;
    NDArray h = Modulation.scaleShiftNorm(x, m.get(mods, 1), m.get(mods, 0), norm);
    x = Modulation.gateSum(x, selfAttention.forward(h, h, rope, backend, null, null), m.get(mods, 2));
    h = Modulation.scaleShiftNorm(x, m.get(mods, 4), m.get(mods, 3), norm);
    return Modulation.gateSum(x, feedForward.forward(h), m.get(mods, 5));
  }
}
