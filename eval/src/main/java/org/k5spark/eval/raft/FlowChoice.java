package org.k5spark.eval.raft;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.eval.flow.FarnebackFlow;
import org.k5spark.eval.flow.OpticalFlowEstimator;
import org.k5spark.eval.flow.Unavailable;

/**
 * Which flow estimator dynamic_degree and the static filter get: {@code raft} (VBench's, from
 * {@code <weights-dir>/raft-things.safetensors}), {@code farneback} (the labelled classical fallback), or, when
 * nothing is asked for, RAFT whenever its weights are present and Farneback otherwise. Asking for RAFT without
 * its weights gives an estimator that reports "not computed" naming the file it looked for.
 */
public final class FlowChoice implements AutoCloseable {
  private final OpticalFlowEstimator estimator;
  private final NDManager manager;

  private FlowChoice(OpticalFlowEstimator estimator, NDManager manager) {
    this.estimator = estimator;
    this.manager = manager;
  }

  /** @param requested "raft", "farneback", or null for the default */
  public static FlowChoice open(String requested, Path weightsDir, Device device) {
    Path file = weightsDir == null ? null : weightsDir.resolve(RaftWeights.FILE);
    boolean present = file != null && Files.isRegularFile(file);
    if ("farneback".equals(requested) || (requested == null && !present)) {
      return new FlowChoice(new FarnebackFlow(), null);
    }
    if (!"raft".equals(requested) && requested != null) {
      throw new IllegalArgumentException("unknown flow estimator '" + requested + "' (raft or farneback)");
    }
    if (!present) {
      return new FlowChoice(Unavailable.raft(file == null ? "no weights directory configured" : "expected " + file), null);
    }
    NDManager m = TorchRuntime.newManager(device);
    try {
      return new FlowChoice(RaftFlow.load(file, m, device), m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  public OpticalFlowEstimator estimator() {
    return estimator;
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
    }
  }
}
