package org.k5spark.core.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Deterministic standard-normal initial latent from a seed. Drawn on the JVM with {@link Random#nextGaussian()}
 * (its algorithm is fixed by the Java specification), so the same seed gives the same latent on every
 * machine, CPU or GPU. (The reference draws from torch's CUDA generator; its values are not reproducible
 * off CUDA, so no attempt is made to match them.)
 */
public final class InitialNoise {
  private InitialNoise() {}

  public static NDArray gaussian(long seed, Shape shape, NDManager manager) {
    long n = shape.size();
    float[] v = new float[Math.toIntExact(n)];
    Random r = new Random(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return manager.create(v, shape);
  }
}
