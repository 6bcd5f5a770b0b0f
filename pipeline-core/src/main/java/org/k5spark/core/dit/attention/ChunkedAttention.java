package org.k5spark.core.dit.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Plain softmax attention with the queries processed in chunks: each chunk sees all keys (exact softmax),
 * and only a (heads, chunk, Lk) score block exists at a time, so memory does not grow with Lq * Lk.
 */
public final class ChunkedAttention implements AttentionBackend {
  /** Upper bound on score-block elements per chunk (~64 MB in float32). */
  private static final long MAX_SCORE_ELEMENTS = 16L << 20;

  /** Query rows per chunk; 0 = as many as fit {@link #MAX_SCORE_ELEMENTS}. */
  private final long chunkRows;

  public ChunkedAttention() {
    this(0);
  }

  /** @param chunkRows fixed query rows per chunk (benchmarks compare sizes), or 0 for the memory-bounded default */
  public ChunkedAttention(long chunkRows) {
    if (chunkRows < 0) {
      throw new IllegalArgumentException("chunk rows must be >= 0: " + chunkRows);
    }
    this.chunkRows = chunkRows;
  }

  @Override
  public String name() {
    return "chunked";
  }

  @Override
  public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask) {
    long lq = q.getShape().get(0);
    long heads = q.getShape().get(1);
    long d = q.getShape().get(2);
    long lk = k.getShape().get(0);
    float scale = (float) (1.0 / Math.sqrt(d));
    NDManager parent = q.getManager();
    NDArray qh = q.transpose(1, 0, 2);
    NDArray kt = k.transpose(1, 2, 0);
    NDArray vh = v.transpose(1, 0, 2);
    long chunk = chunkRows > 0 ? Math.min(lq, chunkRows)
        : Math.max(1, Math.min(lq, MAX_SCORE_ELEMENTS / Math.max(1, heads * lk)));
    NDList outs = new NDList();
    for (long s = 0; s < lq; s += chunk) {
      long e = Math.min(lq, s + chunk);
      try (NDManager cm = parent.newSubManager()) {
        NDArray qc = qh.get(":, " + s + ":" + e + ", :");
        qc.attach(cm);
        NDArray scores = qc.matMul(kt).mul(scale);
        if (mask != null) {
          NDArray mc = mask.getShape().get(mask.getShape().dimension() - 2) == 1 ? mask
              : mask.get("..., " + s + ":" + e + ", :");
          // DJL's where does not broadcast
          scores = NDArrays.where(mc.broadcast(scores.getShape()), scores, cm.full(new ai.djl.ndarray.types.Shape(), Float.NEGATIVE_INFINITY,
              scores.getDataType()));
        }
        NDArray o = scores.softmax(2).matMul(vh);
        o.attach(parent);
        outs.add(o);
      }
    }
    NDArray o = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 1);
    return o.transpose(1, 0, 2).reshape(lq, heads * d);
  }
}
