package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;

/**
 * A caching policy for the visual transformer blocks of one DiT call (MagCache): the DiT asks it, after the
 * text blocks and before the visual blocks, whether to reuse a cached residual {@code blocks(x) - x} instead
 * of running the blocks, and hands it the fresh residual whenever the blocks do run.
 */
public interface VisualBlockSkip {
  /**
   * @return the residual (visual tokens, model_dim) to add to the block input instead of running the visual
   *     blocks, or null to run them
   */
  NDArray residualToReuse();

  /**
   * The blocks ran: {@code residual} = output - input of the visual blocks, in the forward's scratch manager;
   * an implementation that keeps it must attach it to a longer-lived manager.
   */
  void computed(NDArray residual);
}
