package org.k5spark.core.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The flow-matching schedule of the reference {@code generate()}: {@code ts = linspace(1, 0, n + 1)} in float32
 * (libtorch's own linspace, so the values are bit-identical), warped by {@code s * t / (1 + (s - 1) * t)} in
 * float32 arithmetic (Java float ops are IEEE single precision, as torch's float kernels).
 */
public final class Timesteps {
  private Timesteps() {}

  /** n + 1 float32 values from 1 down to 0. */
  public static float[] warped(NDManager manager, int numSteps, double schedulerScale) {
    if (numSteps < 1) {
      throw new IllegalArgumentException("num_steps must be >= 1, got " + numSteps);
    }
    float[] ts;
    try (NDManager m = manager.newSubManager(ai.djl.Device.cpu())) {
      NDArray lin = m.linspace(1f, 0f, numSteps + 1, true);
      ts = lin.toFloatArray();
    }
    float s = (float) schedulerScale;
    float sm1 = (float) (schedulerScale - 1);
    for (int i = 0; i < ts.length; i++) {
      ts[i] = s * ts[i] / (1f + sm1 * ts[i]);
    }
    return ts;
  }
}
