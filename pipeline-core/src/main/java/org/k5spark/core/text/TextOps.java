package org.k5spark.core.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * The tensor math the two text towers share, written to follow the float32 order of operations of
 * transformers' eager code (so parity is a matter of rounding, not of algebra). The same ops serve the mixed
 * half path ({@link TextPrecision#FLOAT16}): float16 GEMM operands, float32 everything else.
 */
public final class TextOps {
  private TextOps() {}

  /** {@code x W^T + b} over the last axis; {@code b} may be null. */
  public static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return Linear.linear(x, w, b).singletonOrThrow();
  }

  /** Qwen2RMSNorm: {@code w * (x * rsqrt(mean(x^2) + eps))}, statistics in float32. */
  public static NDArray rmsNorm(NDArray x, NDArray w, double eps) {
    NDArray xf = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    NDArray var = xf.square().mean(new int[] {-1}, true);
    NDArray normed = xf.div(var.add((float) eps).sqrt());
    return normed.toType(x.getDataType(), false).mul(w);
  }

  /**
   * Rotary tables for positions {@code start .. start+len-1}: {@code (cos, sin)} each {@code (len, d)} with the
   * frequencies repeated ({@code cat(freqs, freqs)}), inv_freq computed in float32 as transformers does.
   */
  public static NDArray[] ropeCosSin(NDManager m, int start, int len, int headDim, double theta) {
    NDArray exponents = m.arange(0, headDim, 2, DataType.INT64).toType(DataType.FLOAT32, false).div((float) headDim);
    NDArray invFreq = m.ones(new Shape(headDim / 2)).div(m.create((float) theta).pow(exponents));
    NDArray pos = m.arange(start, start + len, 1, DataType.INT64).toType(DataType.FLOAT32, false);
    NDArray freqs = pos.reshape(len, 1).mul(invFreq.reshape(1, headDim / 2));
    NDArray emb = freqs.concat(freqs, 1);
    return new NDArray[] {emb.cos(), emb.sin()};
  }

  /** {@code cat(-x2, x1)} for the halves of the last axis: rotary pairs are (j, j + d/2). */
  public static NDArray rotateHalf(NDArray x) {
    long d = x.getShape().get(x.getShape().dimension() - 1);
    NDArray x1 = x.get(new NDIndex("..., :{}", d / 2));
    NDArray x2 = x.get(new NDIndex("..., {}:", d / 2));
    return x2.neg().concat(x1, -1);
  }

  /** {@code x * cos + rotate_half(x) * sin}, x {@code (B, H, L, d)}, cos/sin {@code (L, d)}. */
  public static NDArray applyRope(NDArray x, NDArray cos, NDArray sin) {
    return x.mul(cos).add(rotateHalf(x).mul(sin));
  }

  /**
   * Expands {@code (B, Hkv, L, d)} to {@code (B, Hkv*groups, L, d)} so that kv head g serves query heads
   * {@code g*groups .. (g+1)*groups-1} (transformers' repeat_kv).
   */
  public static NDArray repeatKv(NDArray kv, int groups) {
    if (groups == 1) {
      return kv;
    }
    Shape s = kv.getShape();
    long b = s.get(0);
    long h = s.get(1);
    long l = s.get(2);
    long d = s.get(3);
    return kv.expandDims(2).broadcast(new Shape(b, h, groups, l, d)).reshape(b, h * groups, l, d);
  }

  /**
   * Additive causal mask {@code (q, k)} for queries at positions {@code past .. past+q-1} over keys
   * {@code 0 .. past+q-1}: 0 where allowed, float32 min where not (transformers' value).
   */
  public static NDArray causalMask(NDManager m, int q, int past) {
    int k = past + q;
    float[] v = new float[q * k];
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < k; j++) {
        v[i * k + j] = j <= past + i ? 0f : -Float.MAX_VALUE;
      }
    }
    return m.create(v, new Shape(q, k));
  }

  /**
   * {@code softmax(q k^T * scale + mask) v}; q {@code (B,H,Lq,d)}, k/v {@code (B,H,Lk,d)}. The scores and the
   * softmax are float32 whatever q/k come in (a float16 q k^T of Qwen's biased q/k can overflow, a float16
   * softmax underflows); the probabilities then take v's dtype for the last GEMM. The (Lq x Lk) scores of a
   * prompt (<= 256 tokens) are small next to the weights, so float32 costs nothing that matters here.
   */
  public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, double scale) {
    NDArray qf = q.toType(DataType.FLOAT32, false);
    NDArray kf = k.toType(DataType.FLOAT32, false);
    NDArray scores = qf.matMul(kf.transpose(0, 1, 3, 2)).mul((float) scale);
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray p = scores.softmax(-1).toType(v.getDataType(), false);
    return p.matMul(v);
  }

  /** {@code (B, L, H*d)} → {@code (B, H, L, d)}. */
  public static NDArray splitHeads(NDArray x, int heads) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
  }

  /** {@code (B, H, L, d)} → {@code (B, L, H*d)}. */
  public static NDArray mergeHeads(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
  }

  /** Rows of {@code table} at {@code ids} (any shape) → {@code ids.shape + (hidden,)}. */
  public static NDArray embed(NDArray table, NDArray ids) {
    Shape s = ids.getShape();
    NDArray flat = table.get(new NDIndex("{}", ids.reshape(-1).toType(DataType.INT64, false)));
    // ops take the first operand's manager: move the rows off the long-lived weights manager
    flat.attach(ids.getManager());
    return flat.reshape(s.addAll(new Shape(table.getShape().get(1))));
  }
}
