package org.k5spark.core.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.k5spark.core.video.VideoFrames;

/**
 * The HunyuanVideo causal 3D VAE as the Kandinsky pipeline uses it to turn a sampled latent into video
 * ({@code generate_sample}'s decode lines + {@code AutoencoderKLHunyuanVideo.decode}).
 *
 * <p>Stateful like the reference: {@code decode} calls {@code apply_tiling} only when the tile of the new
 * plan differs from the previous call's tile; the stride is not compared, so a long-lived instance that
 * decodes two clips with equal tile but different stride keeps the first stride (e.g. 25 then 29 frames
 * at 512x768: (17, 8) then (17, 12)). Forced plans go through the same rule, as the golden cases'
 * replaced {@code get_dec_optimal_tiling} does. Not thread-safe.
 */
public final class HunyuanVae {
  /** Frame rate the pipeline writes its MP4s with. */
  public static final double FPS = 24.0;

  private final VaeConfig config;
  private final VaeDecoder decoder;
  private TilingPlan applied;

  public HunyuanVae(VaeConfig config, VaeWeights weights) {
    this.config = config;
    this.decoder = new VaeDecoder(config, weights);
  }

  /** Loads {@code vaeDir/config.json} and the decoder half of {@code vaeDir/diffusion_pytorch_model.safetensors}. */
  public static HunyuanVae load(Path vaeDir, NDManager weightsManager) {
    VaeConfig cfg = VaeConfig.read(vaeDir.resolve("config.json"));
    return new HunyuanVae(cfg, VaeWeights.load(vaeDir, cfg, weightsManager));
  }

  public VaeConfig config() {
    return config;
  }

  /** The tiling state in force after the last tiled decode ({@code apply_tiling}'s attributes), or null. */
  public TilingPlan appliedTiling() {
    return applied;
  }

  /**
   * Latent {@code (T, H, W, C_lat)} (the DiT/sampler layout) → video float {@code (1, 3, F, 8H, 8W)}
   * before clamping, in the latent's manager. Divides by {@code scaling_factor} first, like the pipeline.
   */
  public NDArray decode(NDArray latent, VaeTiling tiling) {
    long[] s = latent.getShape().getShape();
    if (s.length != 4 || s[3] != config.latentChannels()) {
      throw new IllegalArgumentException("latent must be (T, H, W, " + config.latentChannels() + "), got "
          + latent.getShape());
    }
    return VaeOps.scoped(latent, in -> {
      NDArray z = in.toType(DataType.FLOAT32, false).div((float) config.scalingFactor())
          .transpose(3, 0, 1, 2).expandDims(0); // (1, C, T, H, W)
      if (tiling.mode() == VaeTiling.Mode.OFF) {
        return decoder.decode(z);
      }
      TilingPlan plan = tiling.mode() == VaeTiling.Mode.FORCED ? tiling.override()
          : TilingPlan.optimal(s[0], s[1], s[2]);
      if (!plan.sameTile(applied)) {
        applied = plan;
      }
      return new TiledDecode(decoder, applied).decode(z);
    });
  }

  /** {@code ((video.clamp(-1, 1) + 1) * 127.5).to(uint8)}: float32 arithmetic, truncation toward zero. */
  public static NDArray toUint8(NDArray video) {
    return VaeOps.scoped(video, v -> v.clip(-1f, 1f).add(1f).mul(127.5f).toType(DataType.UINT8, false));
  }

  /** {@code (1, 3, F, H, W)} uint8 → frames {@code (F, H, W, 3)} RGB at {@link #FPS}. */
  public static VideoFrames toFrames(NDArray videoUint8) {
    long[] s = videoUint8.getShape().getShape();
    if (s.length != 5 || s[0] != 1 || s[1] != 3 || videoUint8.getDataType() != DataType.UINT8) {
      throw new IllegalArgumentException("expected uint8 video (1, 3, F, H, W), got " + videoUint8.getDataType() + " "
          + videoUint8.getShape());
    }
    try (NDArray hwc = videoUint8.get(0).transpose(1, 2, 3, 0)) {
      byte[] rgb = hwc.toByteArray();
      return new VideoFrames((int) s[2], (int) s[3], (int) s[4], FPS, rgb);
    }
  }

  /** Latent to frames: decode, clamp, uint8, channels-last. */
  public VideoFrames decodeToFrames(NDArray latent, VaeTiling tiling) {
    try (NDManager scratch = latent.getManager().newSubManager()) {
      NDArray video = decode(latent, tiling);
      video.attach(scratch);
      NDArray u8 = toUint8(video);
      u8.attach(scratch);
      return toFrames(u8);
    }
  }
}
