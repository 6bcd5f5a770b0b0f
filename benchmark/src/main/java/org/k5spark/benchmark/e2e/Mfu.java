package org.k5spark.benchmark.e2e;

import org.k5spark.benchmark.DitFlops;

/**
 * Model-FLOP utilisation of the denoising loop: the DiT FLOPs a video needs ({@link DitFlops} per forward,
 * one forward per step, two with classifier-free guidance) over the denoise wall time, as a share of the
 * device's peak FLOP/s.
 */
public final class Mfu {
  private Mfu() {}

  public static int forwardsPerVideo(int steps, boolean guided) {
    return steps * (guided ? 2 : 1);
  }

  /**
   * DiT FLOPs for one video: per step a forward on the prompt, and with guidance one on the negative prompt
   * (whose text length differs).
   */
  public static double flopsPerVideo(DitFlops flops, long visualTokens, long promptTokens, long negativeTokens,
      int steps, boolean guided, double attendedFraction) {
    double perStep = flops.forward(visualTokens, promptTokens, attendedFraction).total();
    if (guided) {
      perStep += flops.forward(visualTokens, negativeTokens, attendedFraction).total();
    }
    return steps * perStep;
  }

  /** Achieved FLOP/s. */
  public static double achieved(double flops, double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("time must be positive: " + seconds);
    }
    return flops / seconds;
  }

  /** achieved / peak, in [0, 1] for a sane peak. */
  public static double mfu(double flops, double seconds, double peakFlops) {
    if (!(peakFlops > 0)) {
      throw new IllegalArgumentException("peak FLOP/s must be positive: " + peakFlops);
    }
    return achieved(flops, seconds) / peakFlops;
  }

  public static double videosPerHour(double secondsPerVideo) {
    if (!(secondsPerVideo > 0)) {
      throw new IllegalArgumentException("seconds per video must be positive: " + secondsPerVideo);
    }
    return 3600.0 / secondsPerVideo;
  }

  /** FLOPs of an n x n x n matmul (multiply-add = 2). */
  public static double matmulFlops(long n) {
    return 2.0 * n * n * n;
  }
}
