package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.k5spark.core.engine.TensorBridge;

/**
 * The functional layers of the DiT on DJL ops, and two libtorch calls DJL lacks (rms_norm, addcmul) made on
 * the same tensors through {@link TensorBridge}. Every op keeps the activation as its first operand so the
 * result lands in the activation's (scratch) manager, never in the long-lived weights manager.
 */
public final class Nn {
  /** torch.nn.LayerNorm default eps. */
  public static final float LAYER_NORM_EPS = 1e-5f;
  /** torch.nn.RMSNorm(eps=None) uses the float32 machine epsilon. */
  public static final float RMS_NORM_EPS = Math.ulp(1.0f);

  private Nn() {}

  /** x W^T + b; weight (out, in). */
  public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return bias == null ? Linear.linear(x, weight).singletonOrThrow() : Linear.linear(x, weight, bias).singletonOrThrow();
  }

  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** Exact (erf) GELU, as torch.nn.GELU(). */
  public static NDArray gelu(NDArray x) {
    return Activation.gelu(x);
  }

  /** LayerNorm over the last axis with the given affine parameters (ones/zeros for the non-affine norms). */
  public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
    long c = x.getShape().get(x.getShape().dimension() - 1);
    return LayerNorm.layerNorm(x, new Shape(c), gamma, beta, LAYER_NORM_EPS).singletonOrThrow();
  }

  /**
   * torch >= 2.4 RMSNorm over the last axis: x * rsqrt(mean(x^2) + eps) * weight, computed in float32 — as
   * libtorch's own {@code rms_norm} (one call instead of six DJL ops). {@code weight} is (D), or any shape
   * broadcasting over x (then multiplied separately), e.g. one weight row per head.
   */
  public static NDArray rmsNorm(NDArray x, NDArray weight) {
    DataType dt = x.getDataType();
    NDArray xf = as(x, DataType.FLOAT32);
    long d = x.getShape().get(x.getShape().dimension() - 1);
    boolean fused = weight.getShape().dimension() == 1;
    Tensor out;
    try (Tensor tx = TensorBridge.view(xf); Tensor tw = TensorBridge.view(weight);
        TensorOptional w = fused ? new TensorOptional(tw) : new TensorOptional();
        DoubleOptional eps = new DoubleOptional(RMS_NORM_EPS)) {
      out = torch.rms_norm(tx, new long[] {d}, w, eps);
    }
    NDArray r = TensorBridge.adopt(out, xf.getManager());
    return as(fused ? r : r.mul(weight), dt);
  }

  /** a + b * c in one libtorch call ({@code addcmul}); the result lands in a's manager. */
  public static NDArray addMul(NDArray a, NDArray b, NDArray c) {
    Tensor out;
    try (Tensor ta = TensorBridge.view(a); Tensor tb = TensorBridge.view(b); Tensor tc = TensorBridge.view(c)) {
      out = torch.addcmul(ta, tb, tc);
    }
    return TensorBridge.adopt(out, a.getManager());
  }

  /** Casts only when needed (DJL's toType copies even for the same type). */
  public static NDArray as(NDArray x, DataType dt) {
    return x.getDataType() == dt ? x : x.toType(dt, false);
  }
}
