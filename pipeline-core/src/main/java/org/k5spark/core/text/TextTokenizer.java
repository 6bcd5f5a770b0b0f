package org.k5spark.core.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's binding of the Rust tokenizers library, offline. DJL's own
 * truncation and padding are switched off: callers truncate and pad explicitly with the model's pad id, so
 * DJL's "[PAD]" = 0 fallback (a real token in byte-level vocabularies) can never leak in.
 */
public final class TextTokenizer implements AutoCloseable {
  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, Long> addedTokens;
  private final JsonNode tokenizerConfig;

  private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, Map<String, Long> addedTokens, JsonNode cfg) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.addedTokens = addedTokens;
    this.tokenizerConfig = cfg;
  }

  /** Loads {@code tokenizer.json} from a checkpoint directory (or the file itself). */
  public static TextTokenizer load(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no tokenizer.json at " + file);
    }
    try {
      HuggingFaceTokenizer t = HuggingFaceTokenizer.builder().optTokenizerPath(file).optAddSpecialTokens(false)
          .optTruncation(false).optPadding(false).build();
      Path cfgPath = file.resolveSibling("tokenizer_config.json");
      JsonNode cfg = Files.isRegularFile(cfgPath) ? new ObjectMapper().readTree(cfgPath.toFile())
          : new ObjectMapper().createObjectNode();
      return new TextTokenizer(file, t, readAddedTokens(file), cfg);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  /** The {@code added_tokens} table (content → id), read by streaming: the vocabulary itself is not parsed. */
  private static Map<String, Long> readAddedTokens(Path file) throws IOException {
    Map<String, Long> out = new HashMap<>();
    try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("added_tokens") && p.currentToken() == JsonToken.START_ARRAY) {
          JsonNode arr = new ObjectMapper().readTree(p);
          for (JsonNode a : arr) {
            out.put(a.get("content").asText(), a.get("id").asLong());
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return out;
  }

  public Path file() {
    return file;
  }

  /** Token ids of {@code text}; {@code addSpecialTokens} runs the file's post-processor (CLIP: BOS/EOS). */
  public long[] ids(String text, boolean addSpecialTokens) {
    return tokenizer.encode(text, addSpecialTokens, false).getIds();
  }

  /** The id of an added (special) token such as {@code <|im_end|>}. */
  public long specialId(String content) {
    Long id = addedTokens.get(content);
    if (id == null) {
      throw new IllegalArgumentException(file + " has no added token " + content);
    }
    return id;
  }

  public boolean hasSpecial(String content) {
    return addedTokens.containsKey(content);
  }

  /** Largest id the tokenizer can emit + 1 is at most this (added tokens are appended after the vocabulary). */
  public long maxAddedId() {
    return addedTokens.values().stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /**
   * The pad id: {@code tokenizer_config.json}'s {@code pad_token} if present, else {@code fallback} (Qwen2.5-VL and
   * CLIP both pad with their {@code <|endoftext|>}).
   */
  public long padId(String fallback) {
    JsonNode pad = tokenizerConfig.path("pad_token");
    String content = pad.isTextual() ? pad.asText() : pad.path("content").asText(fallback);
    return specialId(content.isEmpty() ? fallback : content);
  }

  public String decode(long[] ids, boolean skipSpecialTokens) {
    return tokenizer.decode(ids, skipSpecialTokens);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
