package org.k5spark.core.engine;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch kernels DJL 0.36 does not expose (or exposes only through its Block API), called through JavaCPP on
 * the DJL tensors themselves ({@link TensorBridge}: same {@code at::Tensor}, no copy). Each result is a new
 * NDArray in the manager of the first (activation) argument; weights are never the first argument, so nothing
 * lands in a weights manager. The same kernels as {@code torch.nn.functional} with the arguments spelled out.
 */
public final class NativeOps {
  /** PyTorch's default eps of BatchNorm2d / InstanceNorm2d. */
  public static final double NORM_EPS = 1e-5;

  static {
    // libtorch asks NNPACK about every stride-1 conv2d and, on CPUs it does not support, prints a warning line
    // per call (hundreds per RAFT pass). NNPACK only ever runs for batches >= 16, which no caller here uses, so
    // switching it off changes no result, only the noise.
    TorchRuntime.init();
    torch.globalContext().setUserEnabledNNPACK(false);
  }

  private NativeOps() {}

  /** {@code F.conv2d(x, w, b, stride, padding)} with dilation 1, groups 1; {@code b} may be null. */
  public static NDArray conv2d(NDArray x, NDArray w, NDArray b, long[] stride, long[] padding) {
    try (Tensor tw = TensorBridge.view(w); Tensor tb = b == null ? null : TensorBridge.view(b)) {
      return op(x, t -> {
        try (TensorOptional ob = tb == null ? new TensorOptional() : new TensorOptional(tb)) {
          return torch.conv2d(t, tw, ob, stride, padding, new long[] {1, 1}, 1);
        }
      });
    }
  }

  /**
   * {@code F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners)}: x (N, C, H, W),
   * grid (N, Ho, Wo, 2) with (x, y) in [-1, 1].
   */
  public static NDArray gridSampleBilinear(NDArray x, NDArray grid, boolean alignCorners) {
    try (Tensor g = TensorBridge.view(grid)) {
      return op(x, t -> torch.grid_sampler(t, g, 0, 0, alignCorners));
    }
  }

  /** {@code nn.InstanceNorm2d(C)} as constructed by default: no affine, no running statistics, eps 1e-5. */
  public static NDArray instanceNorm(NDArray x) {
    return op(x, t -> {
      try (TensorOptional none1 = new TensorOptional(); TensorOptional none2 = new TensorOptional();
          TensorOptional none3 = new TensorOptional(); TensorOptional none4 = new TensorOptional()) {
        return torch.instance_norm(t, none1, none2, none3, none4, true, 0.1, NORM_EPS, false);
      }
    });
  }

  /** {@code nn.BatchNorm2d} in eval mode: the running statistics, then the affine weight and bias. */
  public static NDArray batchNormEval(NDArray x, NDArray weight, NDArray bias, NDArray mean, NDArray var) {
    try (Tensor w = TensorBridge.view(weight); Tensor b = TensorBridge.view(bias); Tensor m = TensorBridge.view(mean);
        Tensor v = TensorBridge.view(var)) {
      return op(x, t -> {
        try (TensorOptional ow = new TensorOptional(w); TensorOptional ob = new TensorOptional(b);
            TensorOptional om = new TensorOptional(m); TensorOptional ov = new TensorOptional(v)) {
          return torch.batch_norm(t, ow, ob, om, ov, false, 0.1, NORM_EPS, false);
        }
      });
    }
  }

  /** {@code F.avg_pool2d(x, k, stride=k)} (no padding, floor mode). */
  public static NDArray avgPool2d(NDArray x, long k) {
    return op(x, t -> {
      try (LongOptional none = new LongOptional()) {
        return torch.avg_pool2d(t, new long[] {k, k}, new long[] {k, k}, new long[] {0, 0}, false, true, none);
      }
    });
  }

  /** {@code F.pad(x, [left, right, top, bottom], mode='replicate')} on (N, C, H, W). */
  public static NDArray replicationPad2d(NDArray x, long left, long right, long top, long bottom) {
    return op(x, t -> torch.replication_pad2d(t, left, right, top, bottom));
  }

  /** {@code F.unfold(x, [k, k], padding=p)} (stride 1, dilation 1): (N, C*k*k, H*W) for same-size output. */
  public static NDArray unfold(NDArray x, long k, long p) {
    return op(x, t -> torch.im2col(t, new long[] {k, k}, new long[] {1, 1}, new long[] {p, p}, 1, 1));
  }

  private static NDArray op(NDArray x, UnaryOperator<Tensor> f) {
    try (Tensor t = TensorBridge.view(x)) {
      return TensorBridge.adopt(f.apply(t), x.getManager());
    }
  }
}
