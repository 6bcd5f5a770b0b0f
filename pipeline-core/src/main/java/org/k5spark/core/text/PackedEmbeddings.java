package org.k5spark.core.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Kandinsky's variable-length text batch: the valid rows of every sequence, concatenated
 * ({@code embeds (N, hidden)}), with {@code cuSeqlens = [0, len0, len0+len1, ...]} (int32).
 */
public record PackedEmbeddings(NDArray embeds, int[] cuSeqlens) {

  public int sequences() {
    return cuSeqlens.length - 1;
  }

  public int length(int i) {
    return cuSeqlens[i + 1] - cuSeqlens[i];
  }

  /** Rows {@code cuSeqlens[i] .. cuSeqlens[i+1]} of {@code embeds}: sequence i's {@code (len, hidden)}. */
  public NDArray sequence(int i) {
    return embeds.get(new NDIndex("{}:{}", cuSeqlens[i], cuSeqlens[i + 1]));
  }

  /**
   * {@code hidden[:, cropStart:][mask[:, cropStart:] == 1]}: drops the template prefix and the padding. The
   * mask must be right-padded ({@code 1..1 0..0} per row), which is what the tokenizer here produces.
   *
   * @param hidden {@code (B, L, hidden)}
   * @param mask row-major {@code (B, L)} attention mask
   */
  public static PackedEmbeddings cropAndPack(NDArray hidden, long[] mask, int cropStart) {
    int b = Math.toIntExact(hidden.getShape().get(0));
    int len = Math.toIntExact(hidden.getShape().get(1));
    if (mask.length != (long) b * len) {
      throw new IllegalArgumentException("attention mask has " + mask.length + " entries, hidden states are "
          + hidden.getShape());
    }
    if (cropStart >= len) {
      throw new IllegalArgumentException("crop_start " + cropStart + " is not inside the sequence length " + len);
    }
    int[] cu = new int[b + 1];
    NDArray out = null;
    for (int r = 0; r < b; r++) {
      int n = 0;
      for (int j = cropStart; j < len; j++) {
        if (mask[r * len + j] != 0) {
          if (j != cropStart + n) {
            throw new IllegalArgumentException("attention mask row " + r + " is not right-padded after crop_start");
          }
          n++;
        }
      }
      cu[r + 1] = cu[r] + n;
      if (n > 0) {
        NDArray rows = hidden.get(new NDIndex("{}, {}:{}", r, cropStart, cropStart + n));
        out = out == null ? rows : out.concat(rows, 0);
      }
    }
    if (out == null) {
      out = hidden.getManager().zeros(new ai.djl.ndarray.types.Shape(0, hidden.getShape().get(2)),
          hidden.getDataType(), hidden.getDevice());
    }
    return new PackedEmbeddings(out, cu);
  }
}
