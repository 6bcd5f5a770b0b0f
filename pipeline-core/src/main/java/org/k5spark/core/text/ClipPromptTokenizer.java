package org.k5spark.core.text;

import java.util.Arrays;
import java.util.List;

/**
 * Kandinsky's ClipTextEmbedder input: {@code <|startoftext|> ids <|endoftext|>}, the ids truncated so that the
 * row fits {@code max_length} (77) with both specials (the end token stays last), padded to {@code max_length}
 * with the pad token ({@code <|endoftext|>}), as {@code CLIPTokenizer(..., truncation=True,
 * padding="max_length")} returns them.
 */
public final class ClipPromptTokenizer {
  private final TextTokenizer tokenizer;
  private final long bos;
  private final long eos;
  private final long padId;

  public ClipPromptTokenizer(TextTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.bos = tokenizer.specialId("<|startoftext|>");
    this.eos = tokenizer.specialId("<|endoftext|>");
    this.padId = tokenizer.padId("<|endoftext|>");
  }

  public long bos() {
    return bos;
  }

  public long eos() {
    return eos;
  }

  /** Rows are unpadded ({@code <= maxLength}); pad with {@link TokenBatch#ids} to {@code maxLength}. */
  public TokenBatch tokenize(List<String> prompts, int maxLength) {
    long[][] rows = new long[prompts.size()][];
    boolean[] truncated = new boolean[rows.length];
    int[] full = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      long[] ids = tokenizer.ids(prompts.get(i), false);
      full[i] = ids.length + 2;
      truncated[i] = ids.length + 2 > maxLength;
      long[] body = truncated[i] ? Arrays.copyOf(ids, maxLength - 2) : ids;
      long[] row = new long[body.length + 2];
      row[0] = bos;
      System.arraycopy(body, 0, row, 1, body.length);
      row[row.length - 1] = eos;
      rows[i] = row;
    }
    return new TokenBatch(rows, padId, truncated, full);
  }
}
