package org.k5spark.eval.raft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.weights.StrictLoader;
import org.k5spark.core.weights.TensorSource;

/** RAFT's parameters by {@link RaftLayout} name (no {@code module.} prefix), float32, on one manager. */
public record RaftWeights(Map<String, NDArray> byName) {
  /** The file name looked for in a weights directory: raft-things.pth converted to safetensors. */
  public static final String FILE = "raft-things.safetensors";

  public NDArray get(String name) {
    NDArray a = byName.get(name);
    if (a == null) {
      throw new IllegalStateException("RAFT weight '" + name + "' not loaded");
    }
    return a;
  }

  /**
   * Loads a converted raft-things.pth: keys with or without the DataParallel {@code module.} prefix (VBench strips
   * it with {@code k.replace('module.', '')}); a missing, unexpected or mis-shaped key is one error naming the file.
   */
  public static RaftWeights load(Path file, NDManager manager) {
    try (TensorSource src = TensorSource.open(file)) {
      String prefix = src.keys().stream().anyMatch(k -> k.startsWith("module.")) ? "module." : "";
      Map<String, long[]> expected = new LinkedHashMap<>();
      RaftLayout.shapes().forEach((k, v) -> expected.put(prefix + k, v));
      Map<String, NDArray> loaded = StrictLoader.load(src, expected,
          k -> k.startsWith(prefix) && RaftLayout.ignored(k.substring(prefix.length())), manager, DataType.FLOAT32);
      Map<String, NDArray> byName = new LinkedHashMap<>();
      loaded.forEach((k, v) -> byName.put(k.substring(prefix.length()), v));
      return new RaftWeights(byName);
    }
  }

  /** The golden generator's seeded weights ({@link RaftRandomWeights}). */
  public static RaftWeights random(int seed, double gain, NDManager manager) {
    Map<String, long[]> shapes = RaftLayout.shapes();
    Map<String, NDArray> byName = new LinkedHashMap<>();
    RaftRandomWeights.build(seed, gain).forEach((k, v) -> byName.put(k, manager.create(v, new Shape(shapes.get(k)))));
    return new RaftWeights(byName);
  }
}
