package org.k5spark.core.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.core.io.AtomicFiles;

/**
 * Writes small random text encoders in the released layouts, for the embedded default model:
 * {@code text_encoder/} (Qwen2.5-VL config + model.safetensors + Qwen2.5-VL's real tokenizer) with hidden 64
 * (the tiny DiT's {@code in_text_dim}) and {@code text_encoder2/} (CLIP text model, hidden 32 = the tiny DiT's
 * {@code in_text_dim2}, with the bundled CLIP-format tokenizer).
 *
 * <p>Why the real Qwen vocabulary: Kandinsky crops a fixed 129 (video) / 41 (image) template tokens, which only
 * lands right after the template with the real tokenizer, and the embedding table must cover every id it can
 * emit (151665). The table is stored in bfloat16 as the released checkpoint is: 151665 x 64 x 2 B = 19.4 MB,
 * tied to {@code lm_head} ({@code tie_word_embeddings}) so prompt expansion needs no second table.
 */
public final class TinyTextEncoders {
  public static final int QWEN_HIDDEN = 64;
  public static final int CLIP_HIDDEN = 32;

  private TinyTextEncoders() {}

  public static void write(Path root, long seed) throws IOException {
    writeQwen(root.resolve("text_encoder"), seed);
    writeClip(root.resolve("text_encoder2"), seed + 1);
  }

  static void writeQwen(Path dir, long seed) throws IOException {
    BundledTokenizers.writeQwen(dir);
    long vocab;
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      vocab = t.maxAddedId() + 1;
    }
    int h = QWEN_HIDDEN;
    int inter = 2 * h;
    int layers = 2;
    int heads = 4;
    int kv = 2;
    ObjectMapper om = new ObjectMapper();
    ObjectNode c = om.createObjectNode();
    c.putArray("architectures").add("Qwen2_5_VLForConditionalGeneration");
    c.put("model_type", "qwen2_5_vl");
    c.put("vocab_size", vocab);
    c.put("hidden_size", h);
    c.put("intermediate_size", inter);
    c.put("num_hidden_layers", layers);
    c.put("num_attention_heads", heads);
    c.put("num_key_value_heads", kv);
    c.put("hidden_act", "silu");
    c.put("max_position_embeddings", 128000);
    c.put("rms_norm_eps", 1e-6);
    c.put("rope_theta", 1000000.0);
    ObjectNode rs = c.putObject("rope_scaling");
    rs.put("type", "mrope");
    ArrayNode sec = rs.putArray("mrope_section");
    int half = h / heads / 2; // 8: split like the 7B's [16, 24, 24] of 64
    sec.add(half / 4).add(3 * half / 8).add(half - half / 4 - 3 * half / 8);
    c.put("tie_word_embeddings", true);
    c.put("bos_token_id", 151643);
    c.put("eos_token_id", 151645);
    c.put("pad_token_id", 151643);
    c.put("vision_start_token_id", 151652);
    c.put("vision_end_token_id", 151653);
    c.put("vision_token_id", 151654);
    c.put("image_token_id", 151655);
    c.put("video_token_id", 151656);
    c.put("use_sliding_window", false);
    c.put("sliding_window", 32768);
    c.put("max_window_layers", layers);
    c.put("attention_dropout", 0.0);
    c.put("torch_dtype", "bfloat16");
    ObjectNode vc = c.putObject("vision_config");
    vc.put("depth", 1).put("hidden_size", 16).put("num_heads", 2).put("intermediate_size", 32)
        .put("out_hidden_size", h).put("patch_size", 14).put("spatial_merge_size", 2).put("temporal_patch_size", 2);
    writeJson(dir.resolve("config.json"), c);
    Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 151643, \"pad_token_id\": 151643,"
        + " \"eos_token_id\": [151645, 151643], \"do_sample\": false, \"repetition_penalty\": 1.05}\n");

    SplittableRandom rnd = new SplittableRandom(seed);
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    QwenTextConfig cfg = QwenTextConfig.parse(c, dir.toString());
    for (Map.Entry<String, long[]> e : Qwen25VlTextEncoder.expectedShapes(cfg, "model.", false).entrySet()) {
      w.putBf16(e.getKey(), e.getValue(), init(rnd, e.getKey(), e.getValue()));
    }
    w.write(dir.resolve("model.safetensors"));
  }

  static void writeClip(Path dir, long seed) throws IOException {
    BundledTokenizers.writeClip(dir);
    long vocab;
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      vocab = t.maxAddedId() + 1;
    }
    ObjectMapper om = new ObjectMapper();
    ObjectNode c = om.createObjectNode();
    c.putArray("architectures").add("CLIPTextModel");
    c.put("model_type", "clip_text_model");
    c.put("vocab_size", vocab);
    c.put("hidden_size", CLIP_HIDDEN);
    c.put("intermediate_size", 2 * CLIP_HIDDEN);
    c.put("num_hidden_layers", 2);
    c.put("num_attention_heads", 2);
    c.put("max_position_embeddings", 77);
    c.put("hidden_act", "quick_gelu");
    c.put("layer_norm_eps", 1e-5);
    c.put("projection_dim", CLIP_HIDDEN);
    c.put("bos_token_id", 0);
    c.put("eos_token_id", 2); // the released config's legacy value: pooled = first largest id = <|endoftext|>
    c.put("pad_token_id", 1);
    c.put("torch_dtype", "float32");
    writeJson(dir.resolve("config.json"), c);
    SplittableRandom rnd = new SplittableRandom(seed);
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    for (Map.Entry<String, long[]> e : ClipTextEncoder.expectedShapes(ClipTextConfig.parse(c, dir.toString()))
        .entrySet()) {
      w.putFloats(e.getKey(), e.getValue(), init(rnd, e.getKey(), e.getValue()));
    }
    w.write(dir.resolve("model.safetensors"));
  }

  /**
   * Norm weights near 1, biases small, embeddings std 0.02 (transformers' init), linears std 1/sqrt(fan_in);
   * uniform with that std (cheap: the Qwen table alone is 9.7M values).
   */
  private static float[] init(SplittableRandom rnd, String key, long[] shape) {
    int n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, Math.toIntExact(d));
    }
    boolean norm = key.contains("norm");
    boolean embedding = key.contains("embed") || key.contains("embedding");
    double std = norm ? 0.1 : embedding ? 0.02 : shape.length == 1 ? 0.02 : 1.0 / Math.sqrt(shape[1]);
    float[] v = new float[n];
    double a = std * Math.sqrt(3);
    double base = norm && key.endsWith("weight") ? 1.0 : 0.0;
    for (int i = 0; i < n; i++) {
      v[i] = (float) (base + rnd.nextDouble(-a, a));
    }
    return v;
  }

  private static void writeJson(Path target, Object node) throws IOException {
    AtomicFiles.writeFile(target, tmp -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), node));
  }
}
