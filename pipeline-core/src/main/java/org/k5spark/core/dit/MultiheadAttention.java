package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.dit.nabla.NablaAttention;

/**
 * The reference MultiheadSelfAttentionEnc / Dec and MultiheadCrossAttention: q/k/v projections, per-head
 * RMSNorm of q and k, RoPE (self-attention only), attention, output projection.
 *
 * <p>The projections that read the same input are one GEMM (self-attention: q|k|v; cross-attention: k|v),
 * their weights stacked at load; in self-attention q and k (rows permuted to RoPE's half-split layout, see
 * {@link Rope}) then travel as one heads-first (B, 2*heads, L, head_dim) tensor through RMSNorm (q's weight on
 * the first heads, k's on the rest) and RoPE, and reach the attention kernel without further transposes. Same
 * arithmetic as the reference, a third of the ops — on small shapes the per-op cost, not the FLOPs, is the
 * DiT's time.
 */
final class MultiheadAttention {
  private final boolean self;
  /** self: q|k|v stacked (3*model_dim, model_dim); cross: k|v stacked (2*model_dim, model_dim) */
  private final NDArray wIn;
  private final NDArray bIn;
  /** cross-attention only: the query projection (it reads a different input) */
  private final NDArray wq;
  private final NDArray bq;
  /** self: (2*heads, 1, head_dim) = q's norm weight per q head, then k's per k head; cross: q's (head_dim) */
  private final NDArray qNorm;
  /** cross-attention only: k's norm weight (head_dim) */
  private final NDArray kNorm;
  private final NDArray wo;
  private final NDArray bo;
  private final int heads;
  private final int headDim;

  MultiheadAttention(DitWeights w, String prefix, int heads, int headDim, boolean self) {
    this.self = self;
    this.heads = heads;
    this.headDim = headDim;
    String q = prefix + ".to_query.";
    String k = prefix + ".to_key.";
    String v = prefix + ".to_value.";
    NDArray qn = w.get(prefix + ".query_norm.weight");
    NDArray kn = w.get(prefix + ".key_norm.weight");
    if (self) {
      // q and k in the half-split head layout of Rope.apply (q.k and RMSNorm are unchanged by it)
      for (String key : List.of(q + "weight", q + "bias", k + "weight", k + "bias")) {
        w.replace(key, Rope.halfSplitRows(w.get(key), headDim));
      }
      qn = Rope.halfSplitRows(qn, headDim);
      kn = Rope.halfSplitRows(kn, headDim);
      this.wIn = w.concatRows(prefix + ".to_qkv.weight", List.of(q + "weight", k + "weight", v + "weight"));
      this.bIn = w.concatRows(prefix + ".to_qkv.bias", List.of(q + "bias", k + "bias", v + "bias"));
      this.wq = null;
      this.bq = null;
      Shape perHead = new Shape(heads, headDim);
      this.qNorm = NDArrays.concat(new NDList(qn.broadcast(perHead), kn.broadcast(perHead)), 0)
          .reshape(2L * heads, 1, headDim);
      this.kNorm = null;
    } else {
      this.wIn = w.concatRows(prefix + ".to_kv.weight", List.of(k + "weight", v + "weight"));
      this.bIn = w.concatRows(prefix + ".to_kv.bias", List.of(k + "bias", v + "bias"));
      this.wq = w.get(q + "weight");
      this.bq = w.get(q + "bias");
      this.qNorm = qn;
      this.kNorm = kn;
    }
    this.wo = w.get(prefix + ".out_layer.weight");
    this.bo = w.get(prefix + ".out_layer.bias");
  }

  /**
   * @param x query tokens (L, model_dim), or (B, L, model_dim) for a batch
   * @param cond key/value tokens (Lc, model_dim) / (B, Lc, model_dim); ignored (x itself) for self-attention
   * @param rope table for self-attention (null: no rotation); unused by cross-attention
   * @param nabla NABLA sparse attention for the visual self-attention, else null (dense); unbatched only
   * @param keyMask null, or for a batch BOOLEAN (B, 1, 1, Lc): which keys each sample may attend (padding)
   * @return (L, model_dim) / (B, L, model_dim) in the compute dtype
   */
  NDArray forward(NDArray x, NDArray cond, Rope.Table rope, AttentionBackend backend, NablaAttention nabla,
      NDArray keyMask) {
    Shape xs = x.getShape();
    boolean batched = xs.dimension() == 3;
    long b = batched ? xs.get(0) : 1;
    long lq = xs.get(xs.dimension() - 2);
    DataType dt = wIn.getDataType();
    NDArray q;
    NDArray k;
    NDArray v;
    if (self) {
      // (B, 3*heads, L, D): q|k heads normed and rotated together, v split off
      NDList qkv = Nn.linear(Nn.as(x, dt), wIn, bIn).reshape(b, lq, 3L * heads, headDim).transpose(0, 2, 1, 3)
          .split(new long[] {2L * heads}, 1);
      NDArray qk = Nn.rmsNorm(qkv.get(0), qNorm);
      if (rope != null) {
        qk = Rope.apply(qk, rope);
      }
      NDList parts = qk.split(2, 1);
      q = parts.get(0);
      k = parts.get(1);
      v = qkv.get(1);
    } else {
      long lc = cond.getShape().get(cond.getShape().dimension() - 2);
      q = Nn.rmsNorm(Nn.linear(Nn.as(x, dt), wq, bq).reshape(b, lq, heads, headDim).transpose(0, 2, 1, 3), qNorm);
      NDList kv = Nn.linear(Nn.as(cond, dt), wIn, bIn).reshape(b, lc, 2L * heads, headDim).transpose(0, 2, 1, 3)
          .split(2, 1);
      k = Nn.rmsNorm(kv.get(0), kNorm);
      v = kv.get(1);
    }
    NDArray o;
    if (nabla != null) {
      if (batched) {
        throw new IllegalArgumentException("NABLA attention runs one sample at a time");
      }
      o = nabla.attend(tokensFirst(q), tokensFirst(k), tokensFirst(v), backend);
    } else {
      o = backend.attendHeadsFirst(q, k, v, keyMask);
      if (!batched) {
        o = o.reshape(lq, (long) heads * headDim);
      }
    }
    return Nn.linear(o, wo, bo);
  }

  /** One sample's (1, heads, L, D) as the (L, heads, D) that NABLA takes. */
  private static NDArray tokensFirst(NDArray x) {
    return x.squeeze(0).transpose(1, 0, 2);
  }
}
