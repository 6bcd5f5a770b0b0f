package org.k5spark.core.dit.attention;

import ai.djl.ndarray.NDArray;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.k5spark.core.engine.TensorBridge;

/**
 * libtorch's fused {@code scaled_dot_product_attention} (flash/memory-efficient kernels on CPU and CUDA),
 * called through JavaCPP on the DJL tensors themselves (see {@link TensorBridge}).
 */
public final class SdpaAttention implements AttentionBackend {
  @Override
  public String name() {
    return "sdpa";
  }

  @Override
  public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask) {
    long lq = q.getShape().get(0);
    long heads = q.getShape().get(1);
    long d = q.getShape().get(2);
    // (L, H, D) -> (1, H, L, D): strided views, no copies on the DJL side
    NDArray q4 = q.transpose(1, 0, 2).expandDims(0);
    NDArray k4 = k.transpose(1, 0, 2).expandDims(0);
    NDArray v4 = v.transpose(1, 0, 2).expandDims(0);
    NDArray m4 = mask == null ? null : (mask.getShape().dimension() == 3 ? mask.expandDims(0) : mask);
    Tensor out;
    try (Tensor tq = TensorBridge.view(q4); Tensor tk = TensorBridge.view(k4); Tensor tv = TensorBridge.view(v4)) {
      if (m4 == null) {
        out = torch.scaled_dot_product_attention(tq, tk, tv);
      } else {
        try (Tensor tm = TensorBridge.view(m4); TensorOptional om = new TensorOptional(tm);
            DoubleOptional scale = new DoubleOptional()) {
          out = torch.scaled_dot_product_attention(tq, tk, tv, om, 0.0, false, scale, false);
        }
      }
    }
    NDArray o = TensorBridge.adopt(out, q.getManager());
    return o.squeeze(0).transpose(1, 0, 2).reshape(lq, heads * d);
  }

  /** One fused call for the whole batch: (B, L, H, D) -> (B, H, L, D) views, mask broadcast over heads and queries. */
  @Override
  public NDArray attendBatched(NDArray q, NDArray k, NDArray v, NDArray mask) {
    return attendHeadsFirst(q.transpose(0, 2, 1, 3), k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3), mask);
  }

  @Override
  public NDArray attendHeadsFirst(NDArray q4, NDArray k4, NDArray v4, NDArray mask) {
    long b = q4.getShape().get(0);
    long heads = q4.getShape().get(1);
    long lq = q4.getShape().get(2);
    long d = q4.getShape().get(3);
    Tensor out;
    try (Tensor tq = TensorBridge.view(q4); Tensor tk = TensorBridge.view(k4); Tensor tv = TensorBridge.view(v4)) {
      if (mask == null) {
        out = torch.scaled_dot_product_attention(tq, tk, tv);
      } else {
        try (Tensor tm = TensorBridge.view(mask); TensorOptional om = new TensorOptional(tm);
            DoubleOptional scale = new DoubleOptional()) {
          out = torch.scaled_dot_product_attention(tq, tk, tv, om, 0.0, false, scale, false);
        }
      }
    }
    NDArray o = TensorBridge.adopt(out, q4.getManager());
    return o.transpose(0, 2, 1, 3).reshape(b, lq, heads * d);
  }
}
