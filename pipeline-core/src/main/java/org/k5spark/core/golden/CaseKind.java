package org.k5spark.core.golden;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * Runs one family of golden cases. Implementations are found with {@link java.util.ServiceLoader}
 * (META-INF/services/org.k5spark.core.golden.CaseKind), so every module can add its kinds.
 */
public interface CaseKind {
  /** Null when this kind can run the case, else the reason it cannot (e.g. "nabla not implemented"). */
  String unsupportedReason(GoldenCase c);

  boolean handles(String kind);

  /** Builds the module(s) and loads weights and inputs; not timed. */
  PreparedCase prepare(GoldenCase c, NDManager manager, Device device);
}
