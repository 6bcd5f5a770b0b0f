package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Patchify (T, H, W, C) into (T/pt, H/ph, W/pw, pt*ph*pw*C) with the feature index ((a*ph + b)*pw + c)*C + ch
 * (channel fastest), then Linear to model_dim.
 */
final class VisualEmbeddings {
  private final NDArray w;
  private final NDArray b;
  private final int[] patch;

  VisualEmbeddings(DitWeights weights, int[] patch) {
    this.w = weights.get("visual_embeddings.in_layer.weight");
    this.b = weights.get("visual_embeddings.in_layer.bias");
    this.patch = patch;
  }

  NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long t = s.get(0);
    long h = s.get(1);
    long wd = s.get(2);
    long c = s.get(3);
    if (t % patch[0] != 0 || h % patch[1] != 0 || wd % patch[2] != 0) {
      throw new IllegalArgumentException("visual input " + s + " is not divisible by the patch size "
          + java.util.Arrays.toString(patch));
    }
    long tp = t / patch[0];
    long hp = h / patch[1];
    long wp = wd / patch[2];
    NDArray p = x.reshape(tp, patch[0], hp, patch[1], wp, patch[2], c).transpose(0, 2, 4, 1, 3, 5, 6)
        .reshape(tp, hp, wp, (long) patch[0] * patch[1] * patch[2] * c);
    return Nn.linear(Nn.as(p, w.getDataType()), w, b);
  }
}
