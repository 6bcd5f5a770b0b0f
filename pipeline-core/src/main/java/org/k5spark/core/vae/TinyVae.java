package org.k5spark.core.vae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.k5spark.core.weights.SafetensorsWriter;

/**
 * A deterministic tiny HunyuanVideo VAE in the released diffusers layout ({@code config.json} +
 * {@code diffusion_pytorch_model.safetensors} with encoder and decoder keys), for tests, smoke runs and
 * benchmarks without the 1 GB checkpoint. Real architecture rules (4 up blocks, ratios 8/4, latent 16
 * channels, mid-block attention), reduced widths.
 */
public final class TinyVae {
  /** block_out_channels [16, 16, 16, 16], 4 groups, 1 layer per block. */
  public static final VaeConfig CONFIG = new VaeConfig(3, 3, 16, new int[] {16, 16, 16, 16}, 1, 4, "silu",
      0.476986, 8, 4, true, "TinyVae");

  private TinyVae() {}

  /** Writes {@link #CONFIG} with weights drawn from {@code seed} into {@code vaeDir} (created if needed). */
  public static void write(Path vaeDir, long seed) {
    write(vaeDir, CONFIG, seed);
  }

  /**
   * Writes any valid config. Weights follow torch's default init bounds (uniform ±1/sqrt(fan_in)) so that
   * activations stay of order one; norms get weight 1 ± 0.1 and bias ± 0.1. Same seed → same bytes.
   */
  public static void write(Path vaeDir, VaeConfig config, long seed) {
    Map<String, long[]> all = new TreeMap<>(); // the released file lists its keys sorted
    all.putAll(VaeLayout.encoder(config));
    all.putAll(VaeLayout.decoder(config));
    SplittableRandom rnd = new SplittableRandom(seed);
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    for (var e : all.entrySet()) {
      long[] shape = e.getValue();
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      String key = e.getKey();
      boolean norm = VaeLayout.isNormParameter(key);
      if (norm) {
        boolean weight = key.endsWith(".weight");
        for (int i = 0; i < n; i++) {
          v[i] = (float) ((weight ? 1 : 0) + 0.1 * (2 * rnd.nextDouble() - 1));
        }
      } else {
        long[] wShape = all.get(key.substring(0, key.lastIndexOf('.')) + ".weight");
        long fanIn = 1;
        for (int i = 1; i < wShape.length; i++) {
          fanIn *= wShape[i];
        }
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < n; i++) {
          v[i] = (float) (bound * (2 * rnd.nextDouble() - 1));
        }
      }
      w.putFloats(key, shape, v);
    }
    try {
      Files.createDirectories(vaeDir);
      w.write(vaeDir.resolve(VaeWeights.WEIGHTS_FILE));
      Path cfg = vaeDir.resolve("config.json");
      Path tmp = Files.createTempFile(vaeDir, "config", ".json.tmp");
      Files.writeString(tmp, config.toJson(), StandardCharsets.UTF_8);
      Files.move(tmp, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny VAE to " + vaeDir + ": " + e.getMessage(), e);
    }
  }
}
