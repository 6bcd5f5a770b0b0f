package org.k5spark.core.tiny;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DitCheckpointLayout;
import org.k5spark.core.io.AtomicFiles;
import org.k5spark.core.text.BundledTokenizers;
import org.k5spark.core.text.ClipTextConfig;
import org.k5spark.core.text.ClipTextEncoder;
import org.k5spark.core.text.Qwen25VlTextEncoder;
import org.k5spark.core.text.QwenTextConfig;
import org.k5spark.core.text.TextMemory;
import org.k5spark.core.vae.VaeConfig;
import org.k5spark.core.vae.VaeLayout;
import org.k5spark.core.vae.VaeWeights;

/**
 * Random checkpoints at the released sizes, in the released layouts, for a real-size smoke run without the
 * weights (benchmark/real-size-smoke.sh): the DiT of a model config in bfloat16 (2B parameters, 4.1 GB for the
 * Lite variants), the full HunyuanVideo VAE decoder (float32), CLIP ViT-L/14's text tower (float32) and a
 * Qwen2.5-VL text decoder at its real width (hidden 3584, MLP 18944, vocabulary 152064, bfloat16) with only
 * {@code qwenLayers} of its 28 layers. Values are uniform with the tiny checkpoints' scales (weights std
 * 1/sqrt(fan_in), norms near 1, small biases and embeddings), written tensor by tensor
 * ({@link StreamingSafetensors}); same seed, same bytes.
 */
public final class ReleasedSizeCheckpoint {
  private ReleasedSizeCheckpoint() {}

  /** Writes every component {@code cfg} needs under {@code root}; returns the bytes written. */
  public static long write(ModelConfig cfg, Path root, int qwenLayers, long seed) throws IOException {
    long bytes = 0;
    Path dit = cfg.checkpoint(root);
    StreamingSafetensors.write(dit, DitCheckpointLayout.expectedShapes(cfg.ditParams()), true,
        Map.of("format", "pt", "k5spark", "random DiT at the released size, seed " + seed),
        uniform(seed, ReleasedSizeCheckpoint::textStd));
    bytes += Files.size(dit);

    Path vae = ModelConfig.resolveWeight(cfg.vae().checkpointPath(), root);
    Map<String, long[]> vaeShapes = VaeLayout.decoder(VaeConfig.HUNYUAN_VIDEO);
    StreamingSafetensors.write(vae.resolve(VaeWeights.WEIGHTS_FILE), vaeShapes, false, Map.of("format", "pt"),
        uniform(seed + 1, (key, shape) -> vaeStd(key, shape)));
    AtomicFiles.writeFile(vae.resolve("config.json"),
        tmp -> Files.writeString(tmp, VaeConfig.HUNYUAN_VIDEO.toJson()));
    bytes += Files.size(vae.resolve(VaeWeights.WEIGHTS_FILE));

    var te = cfg.textEmbedder();
    Path qwenDir = ModelConfig.resolveWeight(te.qwen().checkpointPath(), root);
    QwenTextConfig q7 = TextMemory.QWEN25_VL_7B;
    QwenTextConfig q = new QwenTextConfig(q7.vocabSize(), q7.hiddenSize(), q7.intermediateSize(), qwenLayers,
        q7.numHeads(), q7.numKvHeads(), q7.rmsNormEps(), q7.ropeTheta(), false, q7.headDim());
    BundledTokenizers.writeQwen(qwenDir);
    AtomicFiles.writeFile(qwenDir.resolve("config.json"), tmp -> Files.writeString(tmp, qwenJson(q)));
    StreamingSafetensors.write(qwenDir.resolve("model.safetensors"), Qwen25VlTextEncoder.expectedShapes(q, "model.", false), true,
        Map.of("format", "pt"), uniform(seed + 2, ReleasedSizeCheckpoint::textStd));
    bytes += Files.size(qwenDir.resolve("model.safetensors"));

    Path clipDir = ModelConfig.resolveWeight(te.clip().checkpointPath(), root);
    ClipTextConfig c = TextMemory.CLIP_L;
    BundledTokenizers.writeClip(clipDir);
    AtomicFiles.writeFile(clipDir.resolve("config.json"), tmp -> Files.writeString(tmp, clipJson(c)));
    StreamingSafetensors.write(clipDir.resolve("model.safetensors"), ClipTextEncoder.expectedShapes(c), false,
        Map.of("format", "pt"), uniform(seed + 3, ReleasedSizeCheckpoint::textStd));
    bytes += Files.size(clipDir.resolve("model.safetensors"));
    return bytes;
  }

  /** A value's (mean, std) for a key and shape. */
  private interface Scale {
    double[] of(String key, long[] shape);
  }

  /** Uniform values of each key's (mean, std); each 1M-value chunk from its own seeded stream. */
  private static StreamingSafetensors.Values uniform(long seed, Scale scale) {
    return (key, shape, start, out, n) -> {
      double[] ms = scale.of(key, shape);
      double a = ms[1] * Math.sqrt(3) / Integer.MAX_VALUE;
      SplittableRandom rnd = new SplittableRandom(seed * 31 + key.hashCode() * 1_000_003L + start);
      for (int i = 0; i < n; i++) {
        out[i] = (float) (ms[0] + a * rnd.nextInt());
      }
    };
  }

  /** Norm weights 1 +- 0.1, biases and embeddings 0.02, matrices 1/sqrt(fan_in) (the tiny checkpoints' rule). */
  private static double[] textStd(String key, long[] shape) {
    boolean norm = key.contains("norm");
    if (norm) {
      return new double[] {key.endsWith("weight") ? 1 : 0, 0.1};
    }
    boolean embedding = key.contains("embed") && shape.length == 2 && !key.contains("in_layer")
        && !key.contains("out_layer");
    return new double[] {0, embedding || shape.length == 1 ? 0.02 : 1 / Math.sqrt(shape[1])};
  }

  /** torch's default conv/linear init bound 1/sqrt(fan_in) (uniform), norms 1 +- 0.1 (TinyVae's rule). */
  private static double[] vaeStd(String key, long[] shape) {
    if (VaeLayout.isNormParameter(key)) {
      return new double[] {key.endsWith(".weight") ? 1 : 0, 0.1 / Math.sqrt(3)};
    }
    long[] w = VaeLayout.decoder(VaeConfig.HUNYUAN_VIDEO).get(key.substring(0, key.lastIndexOf('.')) + ".weight");
    long fanIn = 1;
    for (int i = 1; i < w.length; i++) {
      fanIn *= w[i];
    }
    return new double[] {0, 1 / Math.sqrt(fanIn) / Math.sqrt(3)};
  }

  static String qwenJson(QwenTextConfig q) {
    return String.format(Locale.ROOT, "{\"architectures\": [\"Qwen2_5_VLForConditionalGeneration\"],"
        + " \"model_type\": \"qwen2_5_vl\", \"vocab_size\": %d, \"hidden_size\": %d, \"intermediate_size\": %d,"
        + " \"num_hidden_layers\": %d, \"num_attention_heads\": %d, \"num_key_value_heads\": %d,"
        + " \"hidden_act\": \"silu\", \"rms_norm_eps\": 1e-06, \"rope_theta\": 1000000.0,"
        + " \"rope_scaling\": {\"type\": \"mrope\", \"mrope_section\": [16, 24, 24]}, \"tie_word_embeddings\": false,"
        + " \"bos_token_id\": 151643, \"eos_token_id\": 151645, \"torch_dtype\": \"bfloat16\"}%n",
        q.vocabSize(), q.hiddenSize(), q.intermediateSize(), q.numLayers(), q.numHeads(), q.numKvHeads());
  }

  static String clipJson(ClipTextConfig c) {
    return String.format(Locale.ROOT, "{\"architectures\": [\"CLIPTextModel\"], \"model_type\": \"clip_text_model\","
        + " \"vocab_size\": %d, \"hidden_size\": %d, \"intermediate_size\": %d, \"num_hidden_layers\": %d,"
        + " \"num_attention_heads\": %d, \"max_position_embeddings\": %d, \"hidden_act\": \"quick_gelu\","
        + " \"layer_norm_eps\": 1e-05, \"projection_dim\": 768, \"bos_token_id\": 0, \"eos_token_id\": 2,"
        + " \"pad_token_id\": 1, \"torch_dtype\": \"float32\"}%n", c.vocabSize(), c.hiddenSize(),
        c.intermediateSize(), c.numLayers(), c.numHeads(), c.maxPositions());
  }
}
