package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * The functional layers of the DiT on DJL ops. Every op keeps the activation as its first operand so the
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

  /** torch >= 2.4 RMSNorm over the last axis: x * rsqrt(mean(x^2) + eps) * weight, computed in float32. */
  public static NDArray rmsNorm(NDArray x, NDArray weight) {
    DataType dt = x.getDataType();
    NDArray xf = as(x, DataType.FLOAT32);
    NDArray r = xf.div(xf.square().mean(new int[] {x.getShape().dimension() - 1}, true).add(RMS_NORM_EPS).sqrt()).mul(weight);
    return as(r, dt);
  }

  /** Casts only when needed (DJL's toType copies even for the same type). */
  public static NDArray as(NDArray x, DataType dt) {
    return x.getDataType() == dt ? x : x.toType(dt, false);
  }
}
