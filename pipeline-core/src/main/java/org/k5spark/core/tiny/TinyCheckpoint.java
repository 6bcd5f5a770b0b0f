package org.k5spark.core.tiny;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DitCheckpointLayout;
import org.k5spark.core.weights.SafetensorsWriter;

/**
 * A deterministic tiny checkpoint set in the released layout, for demos and tests without the real
 * weights: {@code <root>/model/kandinsky5lite_t2v_tiny.safetensors} (the DiT of configs/model/tiny.yaml),
 * plus — added by their owners — the tiny VAE and text encoders under {@code <root>/vae/},
 * {@code <root>/text_encoder/}, {@code <root>/text_encoder2/}.
 *
 * <p>DiT weights are stored as BF16, like the released kandinsky5lite_t2v_*.safetensors, so that loading the
 * tiny model exercises the same BF16-to-float widening path as the real one; the values are drawn in float
 * and rounded once, so they are exactly representable either way.
 */
public final class TinyCheckpoint {
  /** Fixed seed: the same bytes on every run and machine. */
  public static final long SEED = 0x4B35_5449_4E59L;

  private TinyCheckpoint() {}

  /**
   * The embedded default needs no set-up: for the tiny variant, writes the deterministic tiny checkpoint under
   * {@code root} when it is not there yet. Any other variant is left alone (real weights are never invented).
   */
  public static synchronized void ensure(ModelConfig cfg, Path root) {
    if (!cfg.variant().startsWith("tiny") || java.nio.file.Files.exists(cfg.checkpoint(root))) {
      return;
    }
    System.err.println("k5: writing the embedded tiny checkpoint (deterministic random weights) to " + root.toAbsolutePath());
    writeAll(root);
  }

  /** Writes every tiny component under {@code root} for the embedded tiny config; returns the config. */
  public static ModelConfig writeAll(Path root) {
    ModelConfig cfg = ModelConfig.embedded("tiny");
    writeDit(cfg, root);
    org.k5spark.core.vae.TinyVae.write(ModelConfig.resolveWeight(cfg.vae().checkpointPath(), root), SEED + 1);
    try {
      // the tiny text encoders write text_encoder/ and text_encoder2/ under the root, where tiny.yaml points
      org.k5spark.core.text.TinyTextEncoders.write(root, SEED + 2);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny text encoders under " + root, e);
    }
    return cfg;
  }

  /** Writes the DiT of {@code cfg} to {@code cfg.checkpoint(root)}; returns the file. */
  public static Path writeDit(ModelConfig cfg, Path root) {
    Path out = cfg.checkpoint(root);
    try {
      ditWriter(cfg.ditParams(), SEED).write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny DiT checkpoint " + out, e);
    }
    return out;
  }

  /**
   * Random weights for every key of the released layout. Scales keep activations O(1): weights
   * N(0, 1/fan_in), biases N(0, 0.02^2), norm scales 1 + N(0, 0.1^2). Modulations are random too (the
   * reference zero-initialises them for training, which would make every block an identity).
   */
  public static SafetensorsWriter ditWriter(DitParams p, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
        .metadata("k5spark", "tiny random DiT, seed " + seed + ", " + p);
    for (Map.Entry<String, long[]> e : DitCheckpointLayout.expectedShapes(p).entrySet()) {
      String key = e.getKey();
      long[] shape = e.getValue();
      int n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, (int) d);
      }
      float[] v = new float[n];
      boolean norm = key.contains("norm.");
      boolean bias = key.endsWith(".bias");
      double std = norm ? 0.1 : bias ? 0.02 : 1.0 / Math.sqrt(shape[1]);
      double mean = norm && !bias ? 1.0 : 0.0;
      for (int i = 0; i < n; i++) {
        v[i] = (float) (mean + std * rng.nextGaussian());
      }
      w.putBf16(key, shape, v);
    }
    return w;
  }
}
