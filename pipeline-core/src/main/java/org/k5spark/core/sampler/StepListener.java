package org.k5spark.core.sampler;

import ai.djl.ndarray.NDArray;

/** Called after each denoising step; the arrays are valid only during the call. */
@FunctionalInterface
public interface StepListener {
  StepListener NONE = (step, t, latentIn, velocity) -> {};

  /**
   * @param step index of the finished step, 0-based
   * @param t the float32 timestep of that step
   * @param latentIn the latent before the step
   * @param velocity the (guided) velocity used by the step
   */
  void onStep(int step, float t, NDArray latentIn, NDArray velocity);
}
