package org.k5spark.core.sampler;

import ai.djl.ndarray.NDManager;
import org.k5spark.core.dit.VisualBlockSkip;

/**
 * A per-generation policy over the DiT's visual blocks, asked once per DiT call in the reference's call order
 * (cond, then uncond when guided): {@link MagCache} skips blocks, {@link MagCalibration} runs them all and
 * measures the residuals MagCache's ratios are made from.
 */
public interface BlockSkipping {
  /** Fresh state for one generation of {@code numSteps} steps; its caches live under {@code cacheManager}. */
  Run start(int numSteps, boolean guided, NDManager cacheManager);

  /** The state of one generation. */
  interface Run extends AutoCloseable {
    /** The policy for the next DiT call; calls are counted as the reference counts them. */
    VisualBlockSkip nextCall();

    /** DiT calls whose visual blocks were skipped so far. */
    int skipped();

    @Override
    void close();
  }
}
