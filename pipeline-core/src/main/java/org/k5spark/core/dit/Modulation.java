package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Adaptive-norm parameters Linear(silu(time_embed)) split into {@code n} chunks (shift, scale, gate, ...), and
 * the two helpers the blocks use with them. Both run in float32 like the reference's autocast(float32)
 * helpers; the result is cast back to the compute dtype.
 */
final class Modulation {
  private final NDArray weight;
  private final NDArray bias;
  private final int chunks;

  Modulation(DitWeights w, String prefix, int chunks) {
    this.weight = w.get(prefix + ".weight");
    this.bias = w.get(prefix + ".bias");
    this.chunks = chunks;
  }

  /** time_embed (1, time_dim) float32 to {@code chunks} arrays of (1, model_dim), float32. */
  NDList params(NDArray timeEmbed) {
    NDArray te = Nn.as(timeEmbed, weight.getDataType());
    return Nn.as(Nn.linear(Nn.silu(te), weight, bias), DataType.FLOAT32).split(chunks, 1);
  }

  /** LayerNorm_noaffine(x) * (1 + scale) + shift, in float32, returned in the compute dtype (a GEMM input). */
  static NDArray scaleShiftNorm(NDArray x, NDArray scale, NDArray shift, NormParams norm) {
    NDArray xf = Nn.as(x, DataType.FLOAT32);
    NDArray h = Nn.layerNorm(xf, norm.ones(), norm.zeros()).mul(scale.add(1f)).add(shift);
    return Nn.as(h, norm.compute());
  }

  /**
   * x + gate * out in float32. The residual streams stay float32 in every precision (only GEMMs and
   * attention run in the compute dtype), which keeps a float16 model clear of float16's range limit.
   */
  static NDArray gateSum(NDArray x, NDArray out, NDArray gate) {
    return Nn.as(x, DataType.FLOAT32).add(Nn.as(out, DataType.FLOAT32).mul(gate));
  }

  /**
   * Ones/zeros affine parameters (float32) for the non-affine LayerNorms (DJL's layerNorm wants both), and
   * the compute dtype their outputs feed.
   */
  record NormParams(NDArray ones, NDArray zeros, DataType compute) {}
}
