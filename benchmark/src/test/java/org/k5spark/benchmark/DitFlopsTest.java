package org.k5spark.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DitFlopsTest {
  // Kandinsky 5 T2V Lite dit_params (configs/model/sft_5s.yaml)
  static final DitFlops LITE = new DitFlops(1792, 7168, 512, 2, 32, 3584, 768, 4, 33, 16);

  @Test
  void fiveSecondSftForwardMatchesThePublishedEstimate() {
    // 5 s at 768x512: 121 frames -> 31 latent frames, 64x96 latent -> 31*32*48 patches
    var b = LITE.forward(31L * 32 * 48, 256, 1.0);
    // issue 10: ~6.6e14 FLOPs per forward, ~79 % of it the self-attention score/value matmuls
    assertEquals(6.6e14, b.total(), 0.05e14);
    assertEquals(0.79, b.selfAttentionScores() / b.total(), 0.01);
  }

  @Test
  void smallCaseByHand() {
    // model_dim 2, ff 4, one visual block, no text blocks, 3 visual tokens, 1 text token
    DitFlops f = new DitFlops(2, 4, 2, 0, 1, 1, 1, 1, 1, 1);
    var b = f.forward(3, 1, 1.0);
    assertEquals(4 * 2 * 3 * 4, b.projections(), 0);           // 96
    assertEquals(2 * 2 * 9 * 2, b.selfAttentionScores(), 0);    // 72
    assertEquals(4 * 3 * 4 + 4 * 1 * 4 + 4 * 3 * 1 * 2, b.crossAttention(), 0); // 48 + 16 + 24
    assertEquals(2 * 2 * 3 * 2 * 4, b.feedForward(), 0);        // 96
    // NABLA at 25 % density scales only the score/value matmuls
    assertEquals(72 * 0.25, f.forward(3, 1, 0.25).selfAttentionScores(), 1e-12);
  }
}
