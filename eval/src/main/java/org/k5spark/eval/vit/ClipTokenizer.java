package org.k5spark.eval.vit;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * CLIP's tokenisation through a Hugging Face {@code tokenizer.json} (its post-processor adds start and end
 * tokens). Like {@code clip.tokenize(text, truncate=True)}: a sequence longer than the context keeps its first
 * {@code context - 1} ids and ends with the end token. Padding is left to the encoder (zeros).
 */
public final class ClipTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int context;

  public ClipTokenizer(Path tokenizerJson, int context) {
    try {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("addSpecialTokens", "true", "truncation", "false"));
    } catch (IOException e) {
      throw new IllegalArgumentException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
    }
    this.context = context;
  }

  public long[] ids(String text) {
    Encoding enc = tokenizer.encode(text);
    long[] ids = enc.getIds();
    if (ids.length <= context) {
      return ids;
    }
    long[] cut = Arrays.copyOf(ids, context);
    cut[context - 1] = ids[ids.length - 1];
    return cut;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
