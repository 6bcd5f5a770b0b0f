package org.k5spark.core.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.StrictLoader;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.core.weights.WeightFileException;
import org.k5spark.core.weights.WeightSet;

/**
 * CLIP's text transformer (ViT-L/14 text tower in Kandinsky): pre-LN layers with causal + key-padding
 * attention and quick-GELU, final LayerNorm, pooled output at the end-of-text token.
 */
public final class ClipTextEncoder implements AutoCloseable {
  private static final String P = "text_model.";
  private final ClipTextConfig config;
  private final WeightSet w;
  private final long weightBytes;

  /** Outputs of one call: {@code lastHiddenState (B, L, hidden)} and {@code pooled (B, hidden)}. */
  public record Output(NDArray lastHiddenState, NDArray pooled) {}

  private ClipTextEncoder(ClipTextConfig config, NDManager weights, Map<String, NDArray> w) {
    this.config = config;
    this.w = new WeightSet(weights, w);
    this.weightBytes = TextMemory.bytesOf(w.values());
  }

  /** Bytes the loaded weights hold (what {@link TextMemory#clipWeightBytes} plans). */
  public long weightBytes() {
    return weightBytes;
  }

  /**
   * Loads {@code dir/config.json} + safetensors; {@code vision_model.*} and the projections are ignored.
   * {@code dtype} FLOAT16 selects the mixed half path ({@link TextPrecision#FLOAT16}): float16 GEMMs, float32
   * residual stream, LayerNorms and softmax.
   */
  public static ClipTextEncoder load(Path dir, Device device, DataType dtype) {
    Path cfgPath = dir.resolve("config.json");
    if (!Files.isRegularFile(cfgPath)) {
      throw new WeightFileException("CLIP text encoder directory " + dir + " has no config.json");
    }
    ClipTextConfig cfg = ClipTextConfig.read(cfgPath);
    try (TensorSource src = TensorSource.open(dir)) {
      NDManager m = TorchRuntime.newManager(device);
      try {
        Map<String, NDArray> loaded = StrictLoader.load(src, expectedShapes(cfg), k -> k.startsWith("vision_model.")
            || k.equals("text_projection.weight") || k.equals("visual_projection.weight") || k.equals("logit_scale")
            || k.equals(P + "embeddings.position_ids"), m, TextPrecision.of(dtype).weightType());
        TextPrecision.widenNorms(loaded);
        return new ClipTextEncoder(cfg, m, loaded);
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
    }
  }

  /** Every parameter the text tower loads, in module order. */
  public static Map<String, long[]> expectedShapes(ClipTextConfig c) {
    Map<String, long[]> e = new LinkedHashMap<>();
    long h = c.hiddenSize();
    e.put(P + "embeddings.token_embedding.weight", new long[] {c.vocabSize(), h});
    e.put(P + "embeddings.position_embedding.weight", new long[] {c.maxPositions(), h});
    for (int i = 0; i < c.numLayers(); i++) {
      String l = P + "encoder.layers." + i + ".";
      for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
        e.put(l + "self_attn." + proj + ".weight", new long[] {h, h});
        e.put(l + "self_attn." + proj + ".bias", new long[] {h});
      }
      e.put(l + "layer_norm1.weight", new long[] {h});
      e.put(l + "layer_norm1.bias", new long[] {h});
      e.put(l + "mlp.fc1.weight", new long[] {c.intermediateSize(), h});
      e.put(l + "mlp.fc1.bias", new long[] {c.intermediateSize()});
      e.put(l + "mlp.fc2.weight", new long[] {h, c.intermediateSize()});
      e.put(l + "mlp.fc2.bias", new long[] {h});
      e.put(l + "layer_norm2.weight", new long[] {h});
      e.put(l + "layer_norm2.bias", new long[] {h});
    }
    e.put(P + "final_layer_norm.weight", new long[] {h});
    e.put(P + "final_layer_norm.bias", new long[] {h});
    return e;
  }

  public ClipTextConfig config() {
    return config;
  }

  /** The precision the weights were loaded in. */
  public TextPrecision precision() {
    return TextPrecision.of(get("embeddings.token_embedding.weight").getDataType());
  }

  public Device device() {
    return w.device();
  }

  /**
   * Encodes {@code ids (B, L)} with {@code attentionMask (B, L)} (1 = token, 0 = padding; null = all tokens).
   * Arrays must live in a manager on this encoder's device; outputs land there. {@code trace} receives the
   * embeddings and each layer's output (before the final LayerNorm).
   */
  public Output encode(NDArray ids, NDArray attentionMask, List<NDArray> trace) {
    NDManager scratch = ids.getManager();
    Shape s = ids.getShape();
    int b = Math.toIntExact(s.get(0));
    int len = Math.toIntExact(s.get(1));
    if (len > config.maxPositions()) {
      throw new IllegalArgumentException("CLIP input length " + len + " exceeds max_position_embeddings "
          + config.maxPositions());
    }
    NDArray pos = get("embeddings.position_embedding.weight").get(new NDIndex(":{}", len));
    pos.attach(scratch);
    // c: the GEMM dtype; the residual stream and the LayerNorms are float32 (no-op casts for float32 weights)
    DataType c = get("embeddings.token_embedding.weight").getDataType();
    NDArray h = TextOps.embed(get("embeddings.token_embedding.weight"), ids).toType(DataType.FLOAT32, false)
        .add(pos.toType(DataType.FLOAT32, false));
    NDArray mask = mask(scratch, attentionMask, b, len);
    int heads = config.numHeads();
    double scale = 1.0 / Math.sqrt(config.headDim());
    Shape hs = new Shape(config.hiddenSize());
    float eps = (float) config.layerNormEps();
    if (trace != null) {
      trace.add(h);
    }
    for (int i = 0; i < config.numLayers(); i++) {
      try (NDManager sub = scratch.newSubManager()) {
        if (trace == null) {
          h.attach(sub);
        }
        String l = "encoder.layers." + i + ".";
        NDArray a = LayerNorm.layerNorm(h, hs, get(l + "layer_norm1.weight"), get(l + "layer_norm1.bias"), eps)
            .singletonOrThrow().toType(c, false);
        NDArray q = TextOps.splitHeads(proj(a, l + "self_attn.q_proj"), heads);
        NDArray k = TextOps.splitHeads(proj(a, l + "self_attn.k_proj"), heads);
        NDArray v = TextOps.splitHeads(proj(a, l + "self_attn.v_proj"), heads);
        NDArray o = TextOps.mergeHeads(TextOps.attention(q, k, v, mask, scale));
        NDArray x = h.add(proj(o, l + "self_attn.out_proj").toType(DataType.FLOAT32, false));
        NDArray n2 = LayerNorm.layerNorm(x, hs, get(l + "layer_norm2.weight"), get(l + "layer_norm2.bias"), eps)
            .singletonOrThrow().toType(c, false);
        NDArray f = proj(n2, l + "mlp.fc1");
        f = config.hiddenAct().equals("quick_gelu") ? quickGelu(f) : Activation.gelu(f);
        h = x.add(proj(f, l + "mlp.fc2").toType(DataType.FLOAT32, false));
        h.attach(scratch);
        if (trace != null) {
          trace.add(h);
        }
      }
    }
    NDArray last = LayerNorm.layerNorm(h, hs, get("final_layer_norm.weight"), get("final_layer_norm.bias"), eps)
        .singletonOrThrow();
    return new Output(last, pool(last, ids));
  }

  /** {@code z * sigmoid(1.702 z)}. */
  public static NDArray quickGelu(NDArray z) {
    return z.mul(Activation.sigmoid(z.mul(1.702f)));
  }

  /**
   * The pooled row per sequence: with the legacy {@code eos_token_id == 2} of the released config, the first
   * position of the largest id (the first end-of-text); otherwise the first position of {@code eos_token_id}.
   */
  public static int[] poolIndex(long[] ids, int batch, int len, int eosTokenId) {
    int[] idx = new int[batch];
    for (int r = 0; r < batch; r++) {
      int best = 0;
      for (int j = 0; j < len; j++) {
        long id = ids[r * len + j];
        if (eosTokenId == 2 ? id > ids[r * len + best] : id == eosTokenId) {
          best = j;
          if (eosTokenId != 2) {
            break;
          }
        }
      }
      idx[r] = best;
    }
    return idx;
  }

  private NDArray pool(NDArray last, NDArray ids) {
    int b = Math.toIntExact(ids.getShape().get(0));
    int len = Math.toIntExact(ids.getShape().get(1));
    int[] idx = poolIndex(ids.toType(DataType.INT64, false).toLongArray(), b, len, config.eosTokenId());
    NDArray[] rows = new NDArray[b];
    for (int r = 0; r < b; r++) {
      rows[r] = last.get(new NDIndex("{}, {}", r, idx[r])).expandDims(0);
    }
    NDArray out = rows[0];
    for (int r = 1; r < b; r++) {
      out = out.concat(rows[r], 0);
    }
    return out;
  }

  /** Additive {@code (B, 1, L, L)} mask: causal plus key padding, float32 min where masked. */
  private static NDArray mask(NDManager m, NDArray attentionMask, int b, int len) {
    long[] am = attentionMask == null ? null : attentionMask.toType(DataType.INT64, false).toLongArray();
    float[] v = new float[b * len * len];
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < len; i++) {
        for (int j = 0; j < len; j++) {
          boolean ok = j <= i && (am == null || am[r * len + j] != 0);
          v[(r * len + i) * len + j] = ok ? 0f : -Float.MAX_VALUE;
        }
      }
    }
    return m.create(v, new Shape(b, 1, len, len));
  }

  private NDArray proj(NDArray x, String name) {
    return TextOps.linear(x, get(name + ".weight"), get(name + ".bias"));
  }

  private NDArray get(String key) {
    NDArray a = w.get(P + key);
    if (a == null) {
      throw new IllegalStateException("weight " + P + key + " not loaded");
    }
    return a;
  }

  /** Moves the weights to {@code device}; frees the old copies. */
  public void toDevice(Device device) {
    w.toDevice(device);
  }

  @Override
  public void close() {
    w.close();
  }
}
