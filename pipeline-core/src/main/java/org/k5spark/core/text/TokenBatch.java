package org.k5spark.core.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Tokenized prompts, one unpadded id row each, plus whether truncation cut the row and its length before.
 * {@link #ids(NDManager, int)} right-pads with {@code padId} (attention mask {@code 1..1 0..0}).
 */
public record TokenBatch(long[][] rows, long padId, boolean[] truncated, int[] untruncatedLengths) {

  public int size() {
    return rows.length;
  }

  public int longest() {
    int m = 0;
    for (long[] r : rows) {
      m = Math.max(m, r.length);
    }
    return m;
  }

  public boolean anyTruncated() {
    for (boolean t : truncated) {
      if (t) {
        return true;
      }
    }
    return false;
  }

  /** {@code (B, len)} int64 ids, right-padded with the pad id. */
  public NDArray ids(NDManager m, int len) {
    long[] out = new long[rows.length * len];
    for (int r = 0; r < rows.length; r++) {
      for (int j = 0; j < len; j++) {
        out[r * len + j] = j < rows[r].length ? rows[r][j] : padId;
      }
    }
    return m.create(out, new Shape(rows.length, len));
  }

  /** Row-major {@code (B, len)} attention mask. */
  public long[] mask(int len) {
    long[] out = new long[rows.length * len];
    for (int r = 0; r < rows.length; r++) {
      for (int j = 0; j < Math.min(len, rows[r].length); j++) {
        out[r * len + j] = 1;
      }
    }
    return out;
  }
}
