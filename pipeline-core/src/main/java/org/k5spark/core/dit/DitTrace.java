package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;

/** Receives intermediate tensors of a forward by their golden-trace names (e.g. "visual_block.0.out"). */
@FunctionalInterface
public interface DitTrace {
  void record(String name, NDArray value);

  static void record(DitTrace t, String name, NDArray value) {
    if (t != null) {
      t.record(name, value);
    }
  }
}
