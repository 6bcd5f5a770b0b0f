package org.k5spark.core.vae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.k5spark.core.engine.TensorBridge;

/**
 * The decoder's layer functions on {@code (1, C, T, H, W)} float tensors. Results live in the manager of
 * the activation argument (weights are never the first operand, so nothing leaks into the weights' manager).
 *
 * <p>Group norm, replicate padding, SiLU and nearest upsampling are libtorch's own kernels called through
 * JavaCPP on the DJL tensors themselves ({@link TensorBridge}: same {@code at::Tensor}, no copy). DJL 0.36
 * has none of them, and composing them from DJL ops (a batch norm per group norm, slice/repeat/concat per
 * padded side, sigmoid + multiply) cost ~30 op dispatches and two extra activation copies per conv; the
 * hand-built group norm alone took ~10 of the golden decode_small's ~55 ms.
 */
final class VaeOps {
  static final float NORM_EPS = 1e-6f;

  /**
   * Multiply-accumulates of one conv from which {@link #conv3d} calls oneDNN directly on the CPU. Below it
   * libtorch's own choice is faster (oneDNN's fixed cost, ~0.05-0.07 ms, dominates: 0.10 vs 0.04 ms at 16
   * channels, 3 x 4 x 6 frames); the two break even near 2 M (16 channels, 3 x 8 x 12) and oneDNN wins
   * 2-4x above it (see {@link #conv3d}).
   */
  static final long ONEDNN_MIN_MACS = 2_000_000L;

  private static final long[] ONES = {1, 1, 1};
  private static final long[] ZEROS = {0, 0, 0};

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
   * Applies a libtorch op to {@code x}; the result (a new tensor) becomes an NDArray of {@code x}'s manager.
   * {@code op} closes its own JavaCPP temporaries. No PointerScope: {@link TensorBridge#adopt} detaches the
   * result from the innermost scope, which drops the scope's reference and frees the tensor.
   */
  private static NDArray torchOp(NDArray x, UnaryOperator<Tensor> op) {
    try (Tensor t = TensorBridge.view(x)) {
      return TensorBridge.adopt(op.apply(t), x.getManager());
    }
  }

  /**
   * {@code HunyuanVideoCausalConv3d}: {@code F.pad(x, (kw//2, kw//2, kh//2, kh//2, kt-1, 0), "replicate")}
   * (edge values on both sides of W and H, {@code kt-1} copies of the first frame in front), then an
   * unpadded stride-1 Conv3d.
   */
  static NDArray causalConv(NDArray x, NDArray weight, NDArray bias) {
    long[] k = weight.getShape().getShape();
    long pw = k[4] / 2;
    long ph = k[3] / 2;
    long pt = k[2] - 1;
    long[] s = x.getShape().getShape();
    long macs = s[2] * s[3] * s[4] * k[0] * k[1] * k[2] * k[3] * k[4];
    boolean onednn = macs >= ONEDNN_MIN_MACS && x.getDevice().equals(Device.cpu())
        && x.getDataType() == DataType.FLOAT32 && OneDnn.USABLE;
    try (Tensor w = TensorBridge.view(weight); Tensor b = TensorBridge.view(bias)) {
      if (pw == 0 && ph == 0 && pt == 0) {
        return torchOp(x, t -> conv3d(t, w, b, onednn));
      }
      return torchOp(x, t -> {
        try (Tensor padded = torch.replication_pad3d(t, pw, pw, ph, ph, pt, 0)) {
          return conv3d(padded, w, b, onednn);
        }
      });
    }
  }

  /**
   * A stride-1, unpadded Conv3d. On the CPU libtorch picks its oneDNN kernel only when
   * {@code N*C*D*H > 20480} (a heuristic made for 2-D convs); a batch-1 video of few channels falls below
   * it and gets {@code slow_conv3d} (im2col + GEMM), 4-5x slower than oneDNN on the golden decode's
   * 8-channel 11 x 34 x 50 convs (0.9-1.1 vs 3.7-4.5 ms). The real-width decoder passes the heuristic anyway.
   */
  private static Tensor conv3d(Tensor x, Tensor w, Tensor b, boolean onednn) {
    try (TensorOptional ob = new TensorOptional(b)) {
      return onednn ? torch.mkldnn_convolution(x, w, ob, ZEROS, ONES, ONES, 1)
          : torch.conv3d(x, w, ob, ONES, ZEROS, ONES, 1);
    }
  }

  /** Whether this libtorch has oneDNN and the user did not switch it off (checked once). */
  private static final class OneDnn {
    static final boolean USABLE = torch.hasMKLDNN() && torch.globalContext().userEnabledMkldnn();
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
   * {@code nn.GroupNorm(groups, C, eps=1e-6)} (libtorch's {@code group_norm}): mean and biased variance per
   * group over {@code (C/G, T, H, W)} of the tensor at hand, then the per-channel affine {@code weight},
   * {@code bias} of shape {@code (C)}.
   */
  static NDArray groupNorm(NDArray x, NDArray weight, NDArray bias, int groups) {
    try (Tensor w = TensorBridge.view(weight); Tensor b = TensorBridge.view(bias)) {
      return torchOp(x, t -> {
        try (TensorOptional ow = new TensorOptional(w); TensorOptional ob = new TensorOptional(b)) {
          return torch.group_norm(t, groups, ow, ob, NORM_EPS, true);
        }
      });
    }
  }

  /** {@code x * sigmoid(x)} written into {@code x}: callers pass a temporary they no longer need. */
  static NDArray siluInPlace(NDArray x) {
    try (Tensor t = TensorBridge.view(x); Tensor same = torch.silu_(t)) {
      return x;
    }
  }

  /**
   * {@code HunyuanVideoUpsampleCausal3D} before its conv: frame 0 upsampled spatially only, frames 1..
   * by the full factor (nearest = repetition), concatenated in time. Computed as one nearest upsampling of
   * the whole clip by the full factor minus the first {@code ft - 1} copies of frame 0: the same frames
   * (exact copies), without the split and the concatenation. The result may be a strided view.
   */
  static NDArray upsampleNearest(NDArray x, int ft, int fh, int fw) {
    long[] s = x.getShape().getShape();
    long t = s[2];
    return torchOp(x, in -> {
      Tensor up = torch.upsample_nearest3d(in, ft * t, fh * s[3], fw * s[4]);
      if (ft == 1) {
        return up;
      }
      try (up) {
        return up.narrow(2, ft - 1, ft * (t - 1) + 1);
      }
    });
  }
}
