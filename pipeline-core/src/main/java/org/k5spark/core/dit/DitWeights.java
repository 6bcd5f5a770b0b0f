package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.weights.StrictLoader;
import org.k5spark.core.weights.TensorSource;

/** The DiT parameters by released checkpoint key, loaded strictly into a long-lived manager. */
public final class DitWeights implements AutoCloseable {
  private final Map<String, NDArray> tensors;
  private final NDManager manager;

  private DitWeights(Map<String, NDArray> tensors, NDManager manager) {
    this.tensors = tensors;
    this.manager = manager;
  }

  /**
   * Loads every key of {@link DitCheckpointLayout#expectedShapes} from {@code src}; missing, unexpected or
   * misshapen keys fail with one {@link org.k5spark.core.weights.WeightFileException} naming them.
   */
  public static DitWeights load(DitParams params, TensorSource src, NDManager parent, DataType dtype) {
    NDManager m = parent.newSubManager();
    try {
      Map<String, NDArray> t = StrictLoader.load(src, DitCheckpointLayout.expectedShapes(params), k -> false, m, dtype);
      if (dtype != DataType.FLOAT32) {
        for (var e : t.entrySet()) {
          if (keepsFloat32(e.getKey())) {
            e.getValue().close();
            e.setValue(src.load(e.getKey(), m, DataType.FLOAT32));
          }
        }
      }
      return new DitWeights(t, m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Parameters the reference evaluates in float32 even under bf16 autocast (time embedding, modulation,
   * norms): they stay float32 in a reduced-precision model. They are small.
   */
  public static boolean keepsFloat32(String key) {
    return key.startsWith("time_embeddings.") || key.startsWith("pooled_text_embeddings.") || key.contains("modulation")
        || key.contains("norm.");
  }

  public NDArray get(String key) {
    NDArray a = tensors.get(key);
    if (a == null) {
      throw new IllegalStateException("DiT parameter '" + key + "' was not loaded");
    }
    return a;
  }

  /**
   * Replaces the parameters {@code keys} by their concatenation along axis 0 under {@code fusedKey} (e.g.
   * q/k/v projections into one GEMM): the parts are freed, so fusing costs no memory after load.
   */
  NDArray concatRows(String fusedKey, List<String> keys) {
    NDList parts = new NDList(keys.size());
    for (String k : keys) {
      parts.add(get(k));
    }
    NDArray fused = NDArrays.concat(parts, 0);
    for (String k : keys) {
      tensors.remove(k).close();
    }
    tensors.put(fusedKey, fused);
    return fused;
  }

  /** Replaces parameter {@code key} by {@code value} (same manager), freeing the old one. */
  void replace(String key, NDArray value) {
    NDArray old = tensors.put(key, value);
    if (old != null && old != value) {
      old.close();
    }
  }

  public NDManager manager() {
    return manager;
  }

  public Map<String, NDArray> all() {
    return tensors;
  }

  @Override
  public void close() {
    manager.close();
  }
}
