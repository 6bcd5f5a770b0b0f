package org.k5spark.benchmark.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.k5spark.benchmark.DitFlops;
import org.k5spark.core.config.ModelConfig;

class MfuTest {
  static final DitFlops LITE = new DitFlops(1792, 7168, 512, 2, 32, 3584, 768, 4, 33, 16);

  @Test
  void liteFiveSecondVideoOnAnH100() {
    // 50 steps with CFG = 100 forwards. One forward at L_v = 31*32*48 = 47616, L_t = 256 is, summing the
    // DitFlops terms by hand (python, integers): 32 blocks * (4 L_v^2 d = 1.6252e13 scores + 8 L_v d^2
    // projections + cross + 4 L_v d ff) + 2 text blocks + modulation + embeddings = 660 045 901 332 480 FLOPs.
    // The expected values are those literals, not a call into DitFlops, so a wrong step or CFG count fails.
    long tokens = 31L * 32 * 48;
    double perVideo = Mfu.flopsPerVideo(LITE, tokens, 256, 256, 50, true, 1.0);
    assertEquals(100 * 660_045_901_332_480.0, perVideo, 1e-12 * perVideo);
    // denoising in 300 s on a 989 TFLOP/s (dense bf16) H100: 6.6004590133248e16 / 300 / 989e12
    assertEquals(0.2224623866978362, Mfu.mfu(perVideo, 300, 989e12), 1e-12);
  }

  @Test
  void guidanceAddsANegativePromptForwardWithItsOwnLength() {
    DitFlops f = new DitFlops(2, 4, 2, 0, 1, 1, 1, 1, 1, 1);
    double cond = f.forward(3, 1, 1.0).total();
    double neg = f.forward(3, 5, 1.0).total();
    assertEquals(4 * (cond + neg), Mfu.flopsPerVideo(f, 3, 1, 5, 4, true, 1.0), 1e-9);
    assertEquals(4 * cond, Mfu.flopsPerVideo(f, 3, 1, 5, 4, false, 1.0), 1e-9);
    assertEquals(8, Mfu.forwardsPerVideo(4, true));
    assertEquals(4, Mfu.forwardsPerVideo(4, false));
  }

  @Test
  void ratesAndGuards() {
    assertEquals(2e9, Mfu.achieved(4e9, 2), 0);
    assertEquals(0.5, Mfu.mfu(4e9, 2, 4e9), 0);
    assertEquals(720, Mfu.videosPerHour(5), 1e-9);
    assertEquals(2.0 * 1024 * 1024 * 1024, Mfu.matmulFlops(1024), 0);
    assertEquals("time must be positive: 0.0",
        assertThrows(IllegalArgumentException.class, () -> Mfu.mfu(1, 0, 1)).getMessage());
    assertEquals("peak FLOP/s must be positive: 0.0",
        assertThrows(IllegalArgumentException.class, () -> Mfu.mfu(1, 1, 0)).getMessage());
    assertEquals("seconds per video must be positive: 0.0",
        assertThrows(IllegalArgumentException.class, () -> Mfu.videosPerHour(0)).getMessage());
  }

  @Test
  void flopsFromTheTinyConfigAndItsTokens() {
    var p = ModelConfig.embedded("tiny").ditParams();
    DitFlops f = DitFlops.of(p);
    assertEquals(new DitFlops(128, 256, 32, 2, 2, 64, 32, 4, 33, 16), f);
    // 25 frames at 64x64 -> latent 7 x 8 x 8, patches 1 x 2 x 2 -> 112 tokens
    assertEquals(112, DitFlops.visualTokens(new long[] {7, 8, 8}, p.patchSize()));
  }
}
