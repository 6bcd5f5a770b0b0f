package org.k5spark.core.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.StrictLoader;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.core.weights.WeightFileException;
import org.k5spark.core.weights.WeightSet;

/**
 * The language-model half of Qwen2.5-VL (text path only): token embeddings, decoder layers (GQA attention with
 * q/k/v biases and rotate-half RoPE, SwiGLU MLP, RMSNorm), final norm, and optionally {@code lm_head} for
 * decoding. Text-only mrope gives every section the same position, so plain 1-D RoPE is exact here.
 */
public final class Qwen25VlTextEncoder implements AutoCloseable {
  private final QwenTextConfig config;
  private final String prefix;
  private final WeightSet w;
  private final long weightBytes;

  private Qwen25VlTextEncoder(QwenTextConfig config, String prefix, NDManager weights, Map<String, NDArray> w) {
    this.config = config;
    this.prefix = prefix;
    this.w = new WeightSet(weights, w);
    this.weightBytes = TextMemory.bytesOf(w.values());
  }

  /** Bytes the loaded weights hold (what {@link TextMemory#qwenWeightBytes} plans). */
  public long weightBytes() {
    return weightBytes;
  }

  /**
   * Loads {@code dir/config.json} and the safetensors in {@code dir} (one file or a sharded index).
   * {@code visual.*} is always ignored; {@code lm_head.weight} is loaded only when {@code withLmHead}.
   * {@code dtype} FLOAT16 selects the mixed half path ({@link TextPrecision#FLOAT16}).
   */
  public static Qwen25VlTextEncoder load(Path dir, Device device, DataType dtype, boolean withLmHead) {
    Path cfgPath = dir.resolve("config.json");
    if (!Files.isRegularFile(cfgPath)) {
      throw new WeightFileException("Qwen text encoder directory " + dir + " has no config.json");
    }
    QwenTextConfig cfg = QwenTextConfig.read(cfgPath);
    try (TensorSource src = TensorSource.open(dir)) {
      // transformers >= 4.52 saves the decoder under model.language_model.*; released files use model.*
      String prefix = src.keys().contains("model.language_model.embed_tokens.weight") ? "model.language_model."
          : "model.";
      boolean lmHead = withLmHead && !cfg.tieWordEmbeddings();
      Map<String, long[]> expected = expectedShapes(cfg, prefix, lmHead);
      Predicate<String> ignored = k -> k.startsWith("visual.") || k.startsWith("model.visual.")
          || (!lmHead && k.equals("lm_head.weight"));
      NDManager m = TorchRuntime.newManager(device);
      try {
        Map<String, NDArray> loaded = StrictLoader.load(src, expected, ignored, m, TextPrecision.of(dtype).weightType());
        TextPrecision.widenNorms(loaded);
        return new Qwen25VlTextEncoder(cfg, prefix, m, loaded);
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
    }
  }

  /** Every parameter the decoder loads, in module order ({@code p}: "model." as released). */
  public static Map<String, long[]> expectedShapes(QwenTextConfig c, String p, boolean lmHead) {
    Map<String, long[]> e = new LinkedHashMap<>();
    long h = c.hiddenSize();
    long kvDim = (long) c.numKvHeads() * c.headDim();
    e.put(p + "embed_tokens.weight", new long[] {c.vocabSize(), h});
    for (int i = 0; i < c.numLayers(); i++) {
      String l = p + "layers." + i + ".";
      e.put(l + "input_layernorm.weight", new long[] {h});
      e.put(l + "post_attention_layernorm.weight", new long[] {h});
      e.put(l + "self_attn.q_proj.weight", new long[] {h, h});
      e.put(l + "self_attn.q_proj.bias", new long[] {h});
      e.put(l + "self_attn.k_proj.weight", new long[] {kvDim, h});
      e.put(l + "self_attn.k_proj.bias", new long[] {kvDim});
      e.put(l + "self_attn.v_proj.weight", new long[] {kvDim, h});
      e.put(l + "self_attn.v_proj.bias", new long[] {kvDim});
      e.put(l + "self_attn.o_proj.weight", new long[] {h, h});
      e.put(l + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), h});
      e.put(l + "mlp.up_proj.weight", new long[] {c.intermediateSize(), h});
      e.put(l + "mlp.down_proj.weight", new long[] {h, c.intermediateSize()});
    }
    e.put(p + "norm.weight", new long[] {h});
    if (lmHead) {
      e.put("lm_head.weight", new long[] {c.vocabSize(), h});
    }
    return e;
  }

  public QwenTextConfig config() {
    return config;
  }

  public Device device() {
    return w.device();
  }

  public boolean hasLmHead() {
    return w.contains("lm_head.weight") || config.tieWordEmbeddings();
  }

  /** The precision the weights were loaded in. */
  public TextPrecision precision() {
    return TextPrecision.of(get("embed_tokens.weight").getDataType());
  }

  /**
   * {@code hidden_states[-1]} (after the final norm, float32) of {@code ids (B, L)}, causal, no attention mask.
   */
  public NDArray encode(NDArray ids) {
    return forward(ids, null, null);
  }

  /**
   * Runs the decoder over {@code ids (B, T)} at positions {@code cache.length() ..} (0 without a cache).
   * {@code ids} must live in a manager on this encoder's device; outputs live there too. {@code trace}, when
   * given, receives transformers' hidden_states tuple:
   * each layer's input, then the final-norm output.
   */
  public NDArray forward(NDArray ids, KvCache cache, List<NDArray> trace) {
    NDManager scratch = ids.getManager();
    int t = Math.toIntExact(ids.getShape().get(1));
    int past = cache == null ? 0 : cache.length();
    int d = config.headDim();
    // c: the GEMM dtype of the weights; the residual stream h, the norms and the softmax are float32 either
    // way (for float32 weights every toType(c) below is a no-op and the order of operations is unchanged)
    DataType c = get("embed_tokens.weight").getDataType();
    NDArray h = TextOps.embed(get("embed_tokens.weight"), ids.toDevice(device(), false)).toType(DataType.FLOAT32,
        false);
    NDArray[] cs = TextOps.ropeCosSin(scratch, past, t, d, config.ropeTheta());
    NDArray cos = cs[0];
    NDArray sin = cs[1];
    NDArray mask = t == 1 ? null : TextOps.causalMask(scratch, t, past);
    double scale = 1.0 / Math.sqrt(d);
    for (int i = 0; i < config.numLayers(); i++) {
      if (trace != null) {
        trace.add(h);
      }
      try (NDManager sub = scratch.newSubManager()) {
        if (trace == null) {
          h.attach(sub); // the previous hidden state dies with this layer's temporaries
        }
        String l = "layers." + i + ".";
        NDArray a = TextOps.rmsNorm(h, get(l + "input_layernorm.weight"), config.rmsNormEps()).toType(c, false);
        // q/k leave the GEMM in c and get their rotary embedding in float32 (promoted by the float32 tables)
        NDArray q = TextOps.splitHeads(TextOps.linear(a, get(l + "self_attn.q_proj.weight"),
            get(l + "self_attn.q_proj.bias")), config.numHeads());
        NDArray k = TextOps.splitHeads(TextOps.linear(a, get(l + "self_attn.k_proj.weight"),
            get(l + "self_attn.k_proj.bias")), config.numKvHeads());
        NDArray v = TextOps.splitHeads(TextOps.linear(a, get(l + "self_attn.v_proj.weight"),
            get(l + "self_attn.v_proj.bias")), config.numKvHeads());
        q = TextOps.applyRope(q, cos, sin);
        k = TextOps.applyRope(k, cos, sin);
        if (cache != null) {
          NDArray[] kv = cache.append(i, k, v);
          k = kv[0];
          v = kv[1];
          // derived arrays (repeat_kv views) must die with this layer, the cached k/v must not
          k.tempAttach(sub);
          v.tempAttach(sub);
        }
        NDArray o = TextOps.attention(q, TextOps.repeatKv(k, config.groups()), TextOps.repeatKv(v, config.groups()),
            mask, scale);
        NDArray o2 = TextOps.mergeHeads(o).toType(c, false);
        NDArray x = h.add(TextOps.linear(o2, get(l + "self_attn.o_proj.weight"), null).toType(DataType.FLOAT32,
            false));
        NDArray b = TextOps.rmsNorm(x, get(l + "post_attention_layernorm.weight"), config.rmsNormEps())
            .toType(c, false);
        NDArray gate = Activation.swish(TextOps.linear(b, get(l + "mlp.gate_proj.weight"), null), 1f);
        NDArray mlp = gate.mul(TextOps.linear(b, get(l + "mlp.up_proj.weight"), null));
        h = x.add(TextOps.linear(mlp, get(l + "mlp.down_proj.weight"), null).toType(DataType.FLOAT32, false));
        h.attach(scratch);
      }
    }
    if (cache != null) {
      cache.advance(t);
    }
    NDArray out = TextOps.rmsNorm(h, get("norm.weight"), config.rmsNormEps());
    if (trace != null) {
      trace.add(out);
    }
    return out;
  }

  /** Next-token logits {@code (B, vocab)} from the last position of a final-norm output {@code (B, T, hidden)}. */
  public NDArray lastLogits(NDArray hidden) {
    if (!hasLmHead()) {
      throw new IllegalStateException("the encoder was loaded without lm_head.weight (load with withLmHead=true)");
    }
    long t = hidden.getShape().get(1);
    NDArray last = hidden.get(new NDIndex(":, {}", t - 1));
    NDArray head = config.tieWordEmbeddings() ? get("embed_tokens.weight") : w.get("lm_head.weight");
    return TextOps.linear(last.toType(head.getDataType(), false), head, null).toType(DataType.FLOAT32, false);
  }

  private NDArray get(String key) {
    NDArray a = w.get(key.startsWith("lm_head") ? key : prefix + key);
    if (a == null) {
      throw new IllegalStateException("weight " + prefix + key + " not loaded");
    }
    return a;
  }

  /** Moves the weights to {@code device} (e.g. off the GPU while the DiT runs); frees the old copies. */
  public void toDevice(Device device) {
    w.toDevice(device);
  }

  @Override
  public void close() {
    w.close();
  }
}
