package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;

/** Linear(model_dim -> ff_dim, no bias), exact GELU, Linear(ff_dim -> model_dim, no bias). */
final class FeedForward {
  private final NDArray in;
  private final NDArray out;

  FeedForward(DitWeights w, String prefix) {
    this.in = w.get(prefix + ".in_layer.weight");
    this.out = w.get(prefix + ".out_layer.weight");
  }

  NDArray forward(NDArray x) {
    return Nn.linear(Nn.gelu(Nn.linear(x, in, null)), out, null);
  }
}
