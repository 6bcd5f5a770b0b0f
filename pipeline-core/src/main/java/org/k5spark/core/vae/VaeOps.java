package org.k5spark.core.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import java.util.function.Function;

/**
 * The decoder's layer functions on {@code (1, C, T, H, W)} float tensors, written on DJL ops. Results
 * live in the manager of the activation argument (weights are never the first operand, so nothing
 * leaks into the weights' manager).
 */
final class VaeOps {
  static final float NORM_EPS = 1e-6f;

  private VaeOps() {}

  /**
   * Runs {@code f} with every temporary in a sub-manager of {@code x}'s manager and keeps only the
   * result: a block's intermediates are freed as soon as the block returns.
   */
  static NDArray scoped(NDArray x, Function<NDArray, NDArray> f) {
    NDManager parent = x.getManager();
    try (NDManager sub = parent.newSubManager()) {
      x.tempAttach(sub);
      NDArray y = f.apply(x);
      if (y == x) {
        throw new IllegalStateException("a scoped block must return a new array");
      }
      y.attach(parent);
      return y;
    }
  }

  /**
   * {@code HunyuanVideoCausalConv3d}: replicate padding of {@code kw//2} / {@code kh//2} on both sides of
   * W / H and {@code kt-1} copies of the first frame in front, then an unpadded stride-1 Conv3d.
   */
  static NDArray causalConv(NDArray x, NDArray weight, NDArray bias) {
    long[] k = weight.getShape().getShape();
    return scoped(x, in -> {
      // each padded copy is freed as soon as the next one exists: peak = input + two padded copies + output
      NDArray pw = replicatePad(in, 4, (int) (k[4] / 2), (int) (k[4] / 2));
      NDArray ph = replicatePad(pw, 3, (int) (k[3] / 2), (int) (k[3] / 2));
      closeIfTemp(pw, in, ph);
      NDArray pt = replicatePad(ph, 2, (int) (k[2] - 1), 0);
      closeIfTemp(ph, in, pt);
      NDArray y = Conv3d.conv3d(pt, weight, bias).singletonOrThrow();
      closeIfTemp(pt, in, y);
      return y;
    });
  }

  private static void closeIfTemp(NDArray a, NDArray input, NDArray next) {
    if (a != input && a != next) {
      a.close();
    }
  }

  /** Edge-value padding along one axis (torch {@code F.pad(mode="replicate")}). */
  static NDArray replicatePad(NDArray x, int axis, int before, int after) {
    if (before == 0 && after == 0) {
      return x;
    }
    long n = x.getShape().get(axis);
    NDList parts = new NDList();
    if (before > 0) {
      NDArray first = x.get(slice(axis, 0, 1));
      parts.add(before == 1 ? first : first.repeat(axis, before));
    }
    parts.add(x);
    if (after > 0) {
      NDArray last = x.get(slice(axis, n - 1, n));
      parts.add(after == 1 ? last : last.repeat(axis, after));
    }
    return NDArrays.concat(parts, axis);
  }

  /** An index selecting {@code [from, to)} on {@code axis} and everything on the other axes. */
  static NDIndex slice(int axis, long from, long to) {
    NDIndex idx = new NDIndex();
    for (int i = 0; i < axis; i++) {
      idx.addAllDim(1);
    }
    return idx.addSliceDim(from, to);
  }

  /**
   * {@code nn.GroupNorm(groups, C, eps=1e-6)}: mean and biased variance per group over
   * {@code (C/G, T, H, W)} of the tensor at hand, then the per-channel affine. Computed as a
   * training-mode batch norm over {@code (1, G, C/G*T*H*W)}: the same statistics, one fused kernel.
   * {@code weight} and {@code bias} come pre-shaped {@code (1, C, 1)} (see {@link VaeWeights#norm}).
   */
  static NDArray groupNorm(NDArray x, NDArray weight, NDArray bias, int groups) {
    Shape s = x.getShape();
    long c = s.get(1);
    if (weight.getShape().dimension() != 3) {
      throw new IllegalArgumentException("group norm affine parameters must be shaped (1, C, 1)");
    }
    return scoped(x, in -> {
      NDManager m = in.getManager();
      NDArray g = in.reshape(1, groups, -1);
      NDArray ones = m.ones(new Shape(groups));
      NDArray zeros = m.zeros(new Shape(groups));
      NDArray runMean = m.zeros(new Shape(groups));
      NDArray runVar = m.ones(new Shape(groups));
      NDArray n = BatchNorm.batchNorm(g, runMean, runVar, ones, zeros, 1, 0.1f, NORM_EPS, true).singletonOrThrow();
      n = n.reshape(1, c, -1);
      NDArray y = n.mul(weight).addi(bias);
      return y.reshape(s);
    });
  }

  /** {@code x * sigmoid(x)} written into {@code x}: callers pass a temporary they no longer need. */
  static NDArray siluInPlace(NDArray x) {
    try (NDArray s = Activation.sigmoid(x)) {
      return x.muli(s);
    }
  }

  /**
   * {@code HunyuanVideoUpsampleCausal3D} before its conv: frame 0 upsampled spatially only, frames 1..
   * by the full factor (nearest = repetition), concatenated in time.
   */
  static NDArray upsampleNearest(NDArray x, int ft, int fh, int fw) {
    long[] s = x.getShape().getShape();
    long t = s[2];
    long h = s[3] * fh;
    long w = s[4] * fw;
    return scoped(x, in -> {
      NDArray first = in.get(slice(2, 0, 1));
      NDArray up0 = first.getNDArrayInternal().interpolation(new long[] {1, h, w}, 0, false);
      if (t == 1) {
        return up0.duplicate();
      }
      NDArray rest = in.get(slice(2, 1, t));
      NDArray upRest = rest.getNDArrayInternal().interpolation(new long[] {ft * (t - 1), h, w}, 0, false);
      return NDArrays.concat(new NDList(up0, upRest), 2);
    });
  }
}
