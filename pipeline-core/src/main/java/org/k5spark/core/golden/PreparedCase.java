package org.k5spark.core.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** A case ready to call: {@link #run} is the timed call and returns outputs by case.json name. */
public interface PreparedCase extends AutoCloseable {
  Map<String, NDArray> run(NDManager scratch);

  @Override
  default void close() {}
}
