package org.k5spark.core.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What the DiT consumes for one prompt, as host data (the encoders may be gone by the time it is used):
 * Qwen embeddings {@code (qwenLength, qwenHidden)} (template cropped, padding removed), whose length is also the
 * text RoPE position count ({@code arange(qwenLength)}), and CLIP's pooled vector {@code (1, clipHidden)}.
 */
public record TextEmbeddings(String prompt, float[] qwen, int qwenLength, int qwenHidden, float[] pooled,
    int clipHidden, int clipTokens, boolean qwenTruncated, boolean clipTruncated) {

  public TextEmbeddings {
    if (qwen.length != qwenLength * qwenHidden || pooled.length != clipHidden) {
      throw new IllegalArgumentException("embedding sizes do not match their shapes");
    }
  }

  /** Either encoder dropped tokens of this prompt. */
  public boolean truncated() {
    return qwenTruncated || clipTruncated;
  }

  /** Number of text positions for the DiT's text RoPE (= Qwen tokens kept). */
  public int textRopeLength() {
    return qwenLength;
  }

  public NDArray qwenEmbeds(NDManager m) {
    return m.create(qwen, new Shape(qwenLength, qwenHidden));
  }

  public NDArray pooledEmbed(NDManager m) {
    return m.create(pooled, new Shape(1, clipHidden));
  }
}
