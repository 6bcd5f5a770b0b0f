package org.k5spark.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CLIP text tower config: a {@code clip_text_model} config.json, or the text_config of a full
 * {@code clip} config (openai/clip-vit-large-patch14 ships the latter).
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
    int maxPositions, double layerNormEps, String hiddenAct, int eosTokenId) {

  public int headDim() {
    return hiddenSize / numHeads;
  }

  public static ClipTextConfig read(Path configJson) {
    try {
      return parse(new ObjectMapper().readTree(Files.readString(configJson)), configJson.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read CLIP config " + configJson + ": " + e.getMessage(), e);
    }
  }

  public static ClipTextConfig parse(JsonNode root, String where) {
    JsonNode n = root.has("text_config") ? root.get("text_config") : root;
    String act = n.path("hidden_act").asText("quick_gelu");
    if (!act.equals("quick_gelu") && !act.equals("gelu")) {
      throw new IllegalArgumentException(where + ": hidden_act \"" + act + "\" is not supported (quick_gelu, gelu)");
    }
    int hidden = QwenTextConfig.req(n, "hidden_size", where);
    int heads = QwenTextConfig.req(n, "num_attention_heads", where);
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(where + ": hidden_size " + hidden + " not divisible by heads " + heads);
    }
    return new ClipTextConfig(QwenTextConfig.req(n, "vocab_size", where), hidden,
        QwenTextConfig.req(n, "intermediate_size", where), QwenTextConfig.req(n, "num_hidden_layers", where), heads,
        n.path("max_position_embeddings").asInt(77), n.path("layer_norm_eps").asDouble(1e-5), act,
        n.path("eos_token_id").asInt(2));
  }
}
