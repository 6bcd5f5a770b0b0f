package org.k5spark.core.dit.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Locale;

/**
 * Multi-head softmax attention, {@code softmax(q k^T / sqrt(D)) v} per head, no dropout, no causal mask.
 * Selected with the system property {@code k5.attention} = {@code sdpa} (default, fused libtorch kernel) or
 * {@code chunked} (queries in chunks; memory independent of L^2).
 */
public interface AttentionBackend {
  String PROPERTY = "k5.attention";

  /**
   * @param q (Lq, heads, D)
   * @param k (Lk, heads, D)
   * @param v (Lk, heads, D)
   * @param mask null, or BOOLEAN broadcastable to (heads, Lq, Lk): true = may attend
   * @return (Lq, heads * D), heads concatenated
   */
  NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask);

  /**
   * A batch of independent attentions: q (B, Lq, heads, D), k/v (B, Lk, heads, D), mask null or BOOLEAN
   * (B, 1, 1, Lk) / broadcastable to (B, heads, Lq, Lk); returns (B, Lq, heads * D). This default runs
   * {@link #attend} per sample.
   */
  default NDArray attendBatched(NDArray q, NDArray k, NDArray v, NDArray mask) {
    long b = q.getShape().get(0);
    NDList outs = new NDList((int) b);
    for (long i = 0; i < b; i++) {
      outs.add(attend(q.get(i), k.get(i), v.get(i), mask == null ? null : mask.get(i)));
    }
    return NDArrays.stack(outs, 0);
  }

  /**
   * As {@link #attendBatched} with q (B, heads, Lq, D), k/v (B, heads, Lk, D) heads-first — the layout the
   * fused kernels take, so callers that produce it skip the transposes; returns (B, Lq, heads * D).
   */
  default NDArray attendHeadsFirst(NDArray q, NDArray k, NDArray v, NDArray mask) {
    return attendBatched(q.transpose(0, 2, 1, 3), k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3), mask);
  }

  String name();

  static AttentionBackend named(String name) {
    String n = name == null ? "sdpa" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "sdpa", "" -> new SdpaAttention();
      case "chunked" -> new ChunkedAttention();
      default -> throw new IllegalArgumentException(
          "unknown attention backend '" + name + "' (" + PROPERTY + " must be sdpa or chunked)");
    };
  }

  /** The backend named by {@code -Dk5.attention}, sdpa when unset. */
  static AttentionBackend fromSystemProperty() {
    return named(System.getProperty(PROPERTY));
  }
}
