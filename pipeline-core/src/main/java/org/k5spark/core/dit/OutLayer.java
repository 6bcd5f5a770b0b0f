package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Final modulated LayerNorm, Linear(model_dim -> pt*ph*pw*out_dim) and unpatchify with the feature index
 * ((ch*pt + a)*ph + b)*pw + c — channel slowest, the opposite of the input patchify.
 */
final class OutLayer {
  private final Modulation.Slot modulation;
  private final NDArray w;
  private final NDArray b;
  private final int[] patch;
  private final int outDim;

  OutLayer(DitWeights weights, int[] patch, int outDim, Modulation.Builder modulations) {
    this.modulation = modulations.add("out_layer.modulation.out_layer", 2);
    this.w = weights.get("out_layer.out_layer.weight");
    this.b = weights.get("out_layer.out_layer.bias");
    this.patch = patch;
    this.outDim = outDim;
  }

  /**
   * visual (T', H', W', model_dim) -> (T'*pt, H'*ph, W'*pw, out_dim) float32; mods from
   * {@link Modulation#params}.
   */
  NDArray forward(NDArray visual, NDList mods, Modulation.NormParams norm) {
    NDArray h = Modulation.scaleShiftNorm(visual, modulation.get(mods, 1), modulation.get(mods, 0), norm);
    NDArray o = Nn.as(Nn.linear(h, w, b), DataType.FLOAT32);
    Shape s = o.getShape();
    long t = s.get(0);
    long hp = s.get(1);
    long wp = s.get(2);
    return o.reshape(t, hp, wp, outDim, patch[0], patch[1], patch[2]).transpose(0, 4, 1, 5, 2, 6, 3)
        .reshape(t * patch[0], hp * patch[1], wp * patch[2], outDim);
  }
}
