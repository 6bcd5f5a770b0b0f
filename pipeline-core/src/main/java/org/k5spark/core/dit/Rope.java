package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding on interleaved pairs (dims 2p, 2p+1), as the reference RoPE1D / RoPE3D +
 * apply_rotary. Tables are float32 like the reference's buffers: freq = exp(-ln(10000) * p / (d/2)),
 * angle = float32(pos * freq) [/ scale_factor].
 */
public final class Rope {
  private static final double MAX_PERIOD = 10000.0;

  /**
   * The reference's rotation table (tokens..., 1, head_dim/2, 2, 2) = [[cos, -sin], [sin, cos]] per pair; the
   * 1 broadcasts over heads. Kept in this layout so that applying it is one multiply and one sum.
   */
  public record Table(NDArray rotation) {}

  private Rope() {}

  /** get_freqs(n): exp(-ln(max_period) * arange(n) / n) in float32, computed by libtorch like the reference. */
  public static NDArray freqs(NDManager m, int n) {
    return m.arange(0, n, 1, DataType.FLOAT32).mul((float) -Math.log(MAX_PERIOD)).div((float) n).exp();
  }

  /** RoPE1D: positions (L,) int64 to a (L, 1, headDim/2, 2, 2) table. */
  public static Table text(NDArray pos, int headDim) {
    NDManager m = pos.getManager();
    NDArray args = pos.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs(m, headDim / 2).reshape(1, -1));
    return table(args.expandDims(1));
  }

  /**
   * RoPE3D: per-axis positions (T'), (H'), (W') int64 to a (T', H', W', 1, headDim/2, 2, 2) table; the head
   * dim is split by axes_dims and each axis angle divided by its scale factor.
   */
  public static Table visual(NDArray[] pos, int[] axesDims, float[] scaleFactor) {
    NDManager m = pos[0].getManager();
    long t = pos[0].size();
    long h = pos[1].size();
    long w = pos[2].size();
    NDList parts = new NDList(3);
    for (int a = 0; a < 3; a++) {
      NDArray args = pos[a].toType(DataType.FLOAT32, false).reshape(-1, 1)
          .mul(freqs(m, axesDims[a] / 2).reshape(1, -1)).div(scaleFactor[a]);
      long half = axesDims[a] / 2;
      Shape view = a == 0 ? new Shape(t, 1, 1, half) : a == 1 ? new Shape(1, h, 1, half) : new Shape(1, 1, w, half);
      parts.add(args.reshape(view).broadcast(new Shape(t, h, w, half)));
    }
    NDArray args = NDArrays.concat(parts, 3);
    return table(args.expandDims(3));
  }

  private static Table table(NDArray args) {
    NDArray cos = args.cos();
    NDArray sin = args.sin();
    NDArray r = NDArrays.stack(new NDList(cos, sin.neg(), sin, cos), args.getShape().dimension());
    Shape s = r.getShape();
    return new Table(r.reshape(s.slice(0, s.dimension() - 1).addAll(new Shape(2, 2))));
  }

  /**
   * Rotates x (tokens, heads, D) — or (batch, tokens, heads, D) — with a (tokens, 1, D/2, 2, 2) table, as
   * the reference's apply_rotary: {@code (rope * x.reshape(..., D/2, 1, 2)).sum(-1)}, in float32.
   */
  public static NDArray apply(NDArray x, Table rope) {
    DataType dt = x.getDataType();
    Shape s = x.getShape();
    int last = s.dimension() - 1;
    NDArray pairs = Nn.as(x, DataType.FLOAT32).reshape(s.slice(0, last).addAll(new Shape(s.get(last) / 2, 1, 2)));
    return Nn.as(pairs.mul(rope.rotation()).sum(new int[] {last + 2}).reshape(s), dt);
  }
}
