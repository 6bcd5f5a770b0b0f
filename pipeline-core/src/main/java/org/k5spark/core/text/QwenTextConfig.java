package org.k5spark.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text-decoder part of a Qwen2.5-VL {@code config.json}. The released checkpoints keep the text keys flat
 * beside {@code vision_config}; newer transformers write them under {@code text_config}: both are read.
 */
public record QwenTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
    int numKvHeads, double rmsNormEps, double ropeTheta, boolean tieWordEmbeddings, int headDim) {

  public QwenTextConfig {
    if (hiddenSize % numHeads != 0 || numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException("Qwen config: hidden_size " + hiddenSize + " / num_attention_heads "
          + numHeads + " / num_key_value_heads " + numKvHeads + " are not divisible");
    }
  }

  public int groups() {
    return numHeads / numKvHeads;
  }

  public static QwenTextConfig read(Path configJson) {
    try {
      return parse(new ObjectMapper().readTree(Files.readString(configJson)), configJson.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Qwen config " + configJson + ": " + e.getMessage(), e);
    }
  }

  public static QwenTextConfig parse(JsonNode root, String where) {
    JsonNode n = root.has("text_config") && root.get("text_config").has("hidden_size") ? root.get("text_config") : root;
    int hidden = req(n, "hidden_size", where);
    int heads = req(n, "num_attention_heads", where);
    int kv = n.path("num_key_value_heads").asInt(heads);
    double theta = n.path("rope_theta").asDouble(root.path("rope_theta").asDouble(1_000_000.0));
    int headDim = hidden / heads;
    JsonNode mrope = n.path("rope_scaling").path("mrope_section");
    if (mrope.isArray()) {
      int sum = 0;
      for (JsonNode s : mrope) {
        sum += s.asInt();
      }
      // every text position is the same in all three sections, so the split only has to be consistent
      if (sum != headDim / 2) {
        throw new IllegalArgumentException(where + ": rope_scaling.mrope_section sums to " + sum
            + ", expected head_dim/2 = " + headDim / 2);
      }
    }
    return new QwenTextConfig(req(n, "vocab_size", where), hidden, req(n, "intermediate_size", where),
        req(n, "num_hidden_layers", where), heads, kv, n.path("rms_norm_eps").asDouble(1e-6), theta,
        root.path("tie_word_embeddings").asBoolean(n.path("tie_word_embeddings").asBoolean(false)), headDim);
  }

  static int req(JsonNode n, String key, String where) {
    if (!n.hasNonNull(key)) {
      throw new IllegalArgumentException(where + ": missing \"" + key + "\"");
    }
    return n.get(key).asInt();
  }
}
