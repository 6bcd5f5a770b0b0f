package org.k5spark.core.dit.nabla;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.dit.DitTrace;
import org.k5spark.core.dit.attention.AttentionBackend;

/**
 * NABLA sparse self-attention (reference {@code get_sparse_params} + {@code nablaT_v2}) on 64-token blocks in
 * fractal order: per head, a block-level attention map from block-mean q and k, keep the key blocks whose
 * ascending cumulative probability reaches {@code 1 - P}, OR the STA window mask, then softmax attention
 * restricted to the kept (query block, key block) pairs.
 *
 * <p>The restricted attention gathers, per head and query block, only the kept key/value blocks
 * ({@link BlockSparseAttention}): work and memory scale with the kept fraction, not with L^2.
 */
public final class NablaAttention {
  public static final int BLOCK = 64;

  private final AttentionConfig config;
  private final NDArray sta;
  private final NDManager recordTo;
  private final DitTrace trace;
  private final int blockIndex;

  private NablaAttention(AttentionConfig config, NDArray sta, NDManager recordTo, DitTrace trace, int blockIndex) {
    this.config = config;
    this.sta = sta;
    this.recordTo = recordTo;
    this.trace = trace;
    this.blockIndex = blockIndex;
  }

  /** Builds the STA mask for a (T', H', W') patch grid (H', W' divisible by 8) and records it as "sta_mask". */
  public static NablaAttention create(AttentionConfig config, long t, long h, long w, NDManager manager, DitTrace trace) {
    if (h % 8 != 0 || w % 8 != 0) {
      throw new IllegalArgumentException("NABLA needs the patch grid divisible by 8, got H'=" + h + " W'=" + w);
    }
    NDArray sta = staMask(t, h / 8, w / 8, config.wT(), config.wH(), config.wW(), manager);
    DitTrace.record(trace, "sta_mask", sta.reshape(1, 1, sta.getShape().get(0), sta.getShape().get(1)));
    return new NablaAttention(config, sta, manager, trace, -1);
  }

  /** The same plan for visual block {@code i} (its block mask is recorded as "nabla_block_mask.i"). */
  public NablaAttention forBlock(int i) {
    return new NablaAttention(config, sta, recordTo, trace, i);
  }

  /**
   * fast_sta_nabla: blocks b1, b2 (number t*nh*nw + hb*nw + wb) attend iff |dt| <= wT/2, |dh| <= wH/2 and
   * |dw| <= wW/2 (integer halves).
   */
  public static NDArray staMask(long t, long nh, long nw, int wT, int wH, int wW, NDManager manager) {
    int nb = Math.toIntExact(t * nh * nw);
    boolean[] m = new boolean[nb * nb];
    for (int a = 0; a < nb; a++) {
      long ta = a / (nh * nw);
      long ha = (a / nw) % nh;
      long wa = a % nw;
      for (int b = 0; b < nb; b++) {
        long tb = b / (nh * nw);
        long hb = (b / nw) % nh;
        long wb = b % nw;
        m[a * nb + b] = Math.abs(ta - tb) <= wT / 2 && Math.abs(ha - hb) <= wH / 2 && Math.abs(wa - wb) <= wW / 2;
      }
    }
    return manager.create(m, new Shape(nb, nb));
  }

  /**
   * The block mask of nablaT_v2 for q, k (N, heads, D) in fractal order: (heads, NB, NB) BOOLEAN.
   */
  public NDArray blockMask(NDArray q, NDArray k) {
    long n = q.getShape().get(0);
    long heads = q.getShape().get(1);
    long d = q.getShape().get(2);
    if (n % BLOCK != 0) {
      throw new IllegalArgumentException("NABLA needs a multiple of 64 visual tokens, got " + n);
    }
    long nb = n / BLOCK;
    NDArray qa = q.toType(DataType.FLOAT32, false).reshape(nb, BLOCK, heads, d).mean(new int[] {1}).transpose(1, 0, 2);
    NDArray ka = k.toType(DataType.FLOAT32, false).reshape(nb, BLOCK, heads, d).mean(new int[] {1}).transpose(1, 2, 0);
    NDArray map = qa.matMul(ka).div((float) Math.sqrt(d)).softmax(2);
    NDArray order = map.argSort(2, true);
    NDArray cum = map.gather(order, 2).cumSum(2);
    NDArray keepSorted = cum.gte((float) (1 - config.p()));
    NDArray keep = keepSorted.toType(DataType.INT32, false).gather(order.argSort(2, true), 2).toType(DataType.BOOLEAN, false);
    return keep.logicalOr(sta.expandDims(0));
  }

  /** Attention restricted to the block mask; records the mask. q, k, v (N, heads, D) -> (N, heads * D). */
  public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionBackend backend) {
    NDArray mask = blockMask(q, k);
    if (trace != null && blockIndex >= 0) {
      NDArray rec = mask.expandDims(0).duplicate();
      rec.attach(recordTo);
      trace.record("nabla_block_mask." + blockIndex, rec);
    }
    return BlockSparseAttention.attend(q, k, v, mask, BLOCK, backend);
  }

  /** The same attention evaluated densely with the block mask expanded to tokens (O(L^2) memory; for tests). */
  public NDArray attendDense(NDArray q, NDArray k, NDArray v, AttentionBackend backend) {
    NDArray tokenMask = blockMask(q, k).repeat(1, BLOCK).repeat(2, BLOCK);
    return backend.attend(q, k, v, tokenMask);
  }
}
