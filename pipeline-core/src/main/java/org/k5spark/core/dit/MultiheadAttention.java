package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.dit.nabla.NablaAttention;

/**
 * The reference MultiheadSelfAttentionEnc / Dec and MultiheadCrossAttention: q/k/v projections, per-head
 * RMSNorm of q and k, RoPE (self-attention only), attention, output projection.
 */
final class MultiheadAttention {
  private final NDArray wq;
  private final NDArray bq;
  private final NDArray wk;
  private final NDArray bk;
  private final NDArray wv;
  private final NDArray bv;
  private final NDArray qNorm;
  private final NDArray kNorm;
  private final NDArray wo;
  private final NDArray bo;
  private final int heads;
  private final int headDim;

  MultiheadAttention(DitWeights w, String prefix, int heads, int headDim) {
    this.wq = w.get(prefix + ".to_query.weight");
    this.bq = w.get(prefix + ".to_query.bias");
    this.wk = w.get(prefix + ".to_key.weight");
    this.bk = w.get(prefix + ".to_key.bias");
    this.wv = w.get(prefix + ".to_value.weight");
    this.bv = w.get(prefix + ".to_value.bias");
    this.qNorm = w.get(prefix + ".query_norm.weight");
    this.kNorm = w.get(prefix + ".key_norm.weight");
    this.wo = w.get(prefix + ".out_layer.weight");
    this.bo = w.get(prefix + ".out_layer.bias");
    this.heads = heads;
    this.headDim = headDim;
  }

  /**
   * @param x query tokens (L, model_dim)
   * @param cond key/value tokens (Lc, model_dim); x itself for self-attention
   * @param rope table for self-attention, null for cross-attention
   * @param nabla NABLA sparse attention for the visual self-attention, else null (dense)
   */
  NDArray forward(NDArray x, NDArray cond, Rope.Table rope, AttentionBackend backend, NablaAttention nabla) {
    long l = x.getShape().get(0);
    long lc = cond.getShape().get(0);
    DataType dt = wq.getDataType();
    NDArray q = Nn.linear(Nn.as(x, dt), wq, bq).reshape(l, heads, headDim);
    NDArray k = Nn.linear(Nn.as(cond, dt), wk, bk).reshape(lc, heads, headDim);
    NDArray v = Nn.linear(Nn.as(cond, dt), wv, bv).reshape(lc, heads, headDim);
    q = Nn.rmsNorm(q, qNorm);
    k = Nn.rmsNorm(k, kNorm);
    if (rope != null) {
      q = Rope.apply(q, rope);
      k = Rope.apply(k, rope);
    }
    NDArray o = nabla == null ? backend.attend(q, k, v, null) : nabla.attend(q, k, v, backend);
    return Nn.linear(o, wo, bo);
  }
}
