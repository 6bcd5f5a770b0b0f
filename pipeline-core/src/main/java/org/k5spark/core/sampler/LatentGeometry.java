package org.k5spark.core.sampler;

import ai.djl.ndarray.types.Shape;
import org.k5spark.core.config.ModelConfig;

/**
 * Output size to latent size as the reference pipeline computes it: {@code num_frames = 1 if seconds == 0
 * else seconds * 24 // 4 + 1} latent frames (24 = fps, 4 = the VAE's temporal compression), spatial / 8,
 * channels = in_visual_dim; the (height, width) pair must be one the variant supports.
 */
public final class LatentGeometry {
  public static final int TEMPORAL_COMPRESSION = 4;
  public static final int SPATIAL_COMPRESSION = 8;

  private LatentGeometry() {}

  /** Latent frames for a duration: 1 for an image (0 s), else floor(seconds * fps / 4) + 1. */
  public static int latentFrames(double seconds, int fps) {
    if (seconds < 0 || Double.isNaN(seconds)) {
      throw new IllegalArgumentException("duration must be >= 0 seconds, got " + seconds);
    }
    if (seconds == 0) {
      return 1;
    }
    return (int) Math.floor(seconds * fps / TEMPORAL_COMPRESSION) + 1;
  }

  /** Pixel frames the VAE decodes from {@code latentFrames}: 4 (T - 1) + 1. */
  public static int videoFrames(int latentFrames) {
    return TEMPORAL_COMPRESSION * (latentFrames - 1) + 1;
  }

  /** (T, H/8, W/8, in_visual_dim) for an allowed resolution; fails naming the allowed set otherwise. */
  public static Shape latentShape(ModelConfig cfg, int height, int width, double seconds) {
    cfg.checkResolution(height, width);
    return new Shape(latentFrames(seconds, cfg.fps()), height / SPATIAL_COMPRESSION, width / SPATIAL_COMPRESSION,
        cfg.ditParams().inVisualDim());
  }
}
