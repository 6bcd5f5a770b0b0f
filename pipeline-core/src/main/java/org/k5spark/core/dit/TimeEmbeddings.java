package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Sinusoidal timestep embedding over model_dim/2 frequencies (note: model_dim, not time_dim), then
 * Linear -> SiLU -> Linear to time_dim. Float32 throughout, like the reference's autocast(float32).
 */
final class TimeEmbeddings {
  private final NDArray inW;
  private final NDArray inB;
  private final NDArray outW;
  private final NDArray outB;
  /** get_freqs(model_dim / 2), a constant: built once */
  private final NDArray freqs;

  TimeEmbeddings(DitWeights w, int modelDim) {
    this.inW = w.get("time_embeddings.in_layer.weight");
    this.inB = w.get("time_embeddings.in_layer.bias");
    this.outW = w.get("time_embeddings.out_layer.weight");
    this.outB = w.get("time_embeddings.out_layer.bias");
    this.freqs = Rope.freqs(w.manager(), modelDim / 2).reshape(1, -1);
  }

  /** time (1,) float32, already t * 1000 -> (1, time_dim) float32. */
  NDArray forward(NDArray time) {
    NDArray args = Nn.as(time, DataType.FLOAT32).reshape(-1, 1)
        .mul(freqs);
    NDArray e = NDArrays.concat(new NDList(args.cos(), args.sin()), 1);
    NDArray h = Nn.silu(Nn.linear(e, f32(inW), f32(inB)));
    return Nn.linear(h, f32(outW), f32(outB));
  }

  private static NDArray f32(NDArray w) {
    return w.getDataType() == DataType.FLOAT32 ? w : w.toType(DataType.FLOAT32, false);
  }
}
