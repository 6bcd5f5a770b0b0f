package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding, as the reference RoPE1D / RoPE3D + apply_rotary: pair p of a head is rotated by
 * angle_p. Tables are float32 like the reference's buffers: freq = exp(-ln(10000) * p / (d/2)),
 * angle = float32(pos * freq) [/ scale_factor].
 *
 * <p>The reference pairs interleaved dims (2p, 2p+1); here a head is stored "half-split" — all x_2p, then all
 * x_2p+1 — so the rotation is elementwise over whole contiguous halves ({@link #apply}). The DiT gets that
 * layout for free by permuting the rows of its q and k projections at load ({@link #halfSplitRows}): q.k
 * is unchanged by the same permutation of both, and RMSNorm permutes with its weight.
 */
public final class Rope {
  private static final double MAX_PERIOD = 10000.0;

  /**
   * cos = [cos_p | cos_p] and sin = [-sin_p | sin_p] over the half-split head, each (tokens..., head_dim);
   * they broadcast over the heads of a heads-first (..., heads, tokens, head_dim) q or k.
   */
  public record Table(NDArray cos, NDArray sin) {}

  private Rope() {}

  /** get_freqs(n): exp(-ln(max_period) * arange(n) / n) in float32, computed by libtorch like the reference. */
  public static NDArray freqs(NDManager m, int n) {
    return m.arange(0, n, 1, DataType.FLOAT32).mul((float) -Math.log(MAX_PERIOD)).div((float) n).exp();
  }

  /** RoPE1D: positions (L,) int64 to a (L, headDim) table. */
  public static Table text(NDArray pos, int headDim) {
    NDManager m = pos.getManager();
    NDArray args = pos.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs(m, headDim / 2).reshape(1, -1));
    return table(args);
  }

  /**
   * RoPE3D: per-axis positions (T'), (H'), (W') int64 to a (T', H', W', headDim) table; the head dim is
   * split by axes_dims and each axis angle divided by its scale factor.
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
    return table(NDArrays.concat(parts, 3));
  }

  private static Table table(NDArray args) {
    int last = args.getShape().dimension() - 1;
    NDArray cos = args.cos();
    NDArray sin = args.sin();
    return new Table(cos.concat(cos, last), sin.neg().concat(sin, last));
  }

  /**
   * Rotates a half-split, heads-first x (heads, tokens, D) — or (batch, heads, tokens, D) — with a
   * (tokens, D) table, in float32 as the reference: [x0 | x1] to [x0 cos - x1 sin | x1 cos + x0 sin].
   */
  public static NDArray apply(NDArray x, Table rope) {
    DataType dt = x.getDataType();
    NDArray xf = Nn.as(x, DataType.FLOAT32);
    int last = x.getShape().dimension() - 1;
    NDList halves = xf.split(2, last);
    NDArray swapped = halves.get(1).concat(halves.get(0), last);
    return Nn.as(Nn.addMul(xf.mul(rope.cos()), swapped, rope.sin()), dt);
  }

  /**
   * The reference's rope buffer layout (..., 1, D/2, 2, 2) = [[cos, -sin], [sin, cos]] per pair, for traces
   * compared with the reference's.
   */
  public static NDArray referenceLayout(Table t) {
    Shape s = t.cos().getShape();
    int last = s.dimension() - 1;
    long half = s.get(last) / 2;
    NDArray cos = t.cos().split(2, last).get(0);
    NDArray sin = t.sin().split(2, last).get(1);
    NDArray m = NDArrays.stack(new NDList(cos, sin.neg(), sin, cos), last + 1);
    return m.reshape(s.slice(0, last).addAll(new Shape(1, half, 2, 2)));
  }

  /**
   * Reorders the rows of a q or k projection (heads*D, in) — or its bias / a per-head norm weight, rows only
   * — from the reference's interleaved pairs to the half-split head layout of {@link #apply}.
   */
  public static NDArray halfSplitRows(NDArray rows, int headDim) {
    Shape s = rows.getShape();
    long heads = s.get(0) / headDim;
    Shape rest = s.slice(1);
    int[] axes = new int[3 + rest.dimension()];
    axes[0] = 0;
    axes[1] = 2;
    axes[2] = 1;
    for (int i = 3; i < axes.length; i++) {
      axes[i] = i;
    }
    // the views are closed so that they do not keep the original (load-time, possibly large) storage alive
    try (NDArray r = rows.reshape(new Shape(heads, headDim / 2, 2).addAll(rest)); NDArray t = r.transpose(axes)) {
      return t.reshape(s);
    }
  }
}
