package org.k5spark.core.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.k5spark.core.weights.StrictLoader;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.core.weights.WeightFileException;

/**
 * The decoder's parameters from a diffusers {@code vae/} directory, loaded strictly: every decoder key of
 * {@link VaeLayout#decoder} must be present with its shape, encoder keys are ignored, anything else is an
 * error.
 */
public final class VaeWeights {
  public static final String WEIGHTS_FILE = "diffusion_pytorch_model.safetensors";

  private final Map<String, NDArray> params;

  private VaeWeights(Map<String, NDArray> params) {
    this.params = params;
  }

  /**
   * Loads from {@code vaeDir} ({@code config.json} is read separately): {@code diffusion_pytorch_model.safetensors}
   * or a sharded index of it.
   */
  public static VaeWeights load(Path vaeDir, VaeConfig config, NDManager manager) {
    Path file = vaeDir.resolve(WEIGHTS_FILE);
    Path index = vaeDir.resolve(WEIGHTS_FILE + ".index.json");
    Path src = Files.exists(file) ? file : Files.exists(index) ? index : null;
    if (src == null) {
      throw new WeightFileException("no " + WEIGHTS_FILE + " (or its .index.json) in " + vaeDir);
    }
    try (TensorSource ts = TensorSource.open(src)) {
      return new VaeWeights(StrictLoader.load(ts, VaeLayout.decoder(config), VaeLayout::isEncoderKey, manager,
          DataType.FLOAT32));
    }
  }

  public NDArray get(String key) {
    NDArray a = params.get(key);
    if (a == null) {
      throw new IllegalStateException("decoder parameter '" + key + "' was not loaded");
    }
    return a;
  }

  public boolean has(String key) {
    return params.containsKey(key);
  }
}
