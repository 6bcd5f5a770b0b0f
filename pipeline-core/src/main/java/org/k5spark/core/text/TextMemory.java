package org.k5spark.core.text;

import java.util.Map;

/**
 * Device bytes of the text encoders for memory plans: weights exactly (the parameters {@code load} declares,
 * norm weights float32, the rest in the precision's GEMM dtype) and an upper estimate of one text's
 * activations. The pipeline encodes one text per call (batch 1), and every temporary of a layer lives until
 * that layer's sub-manager closes, so a layer's peak is the sum of all its temporaries (counted below per
 * op of {@link Qwen25VlTextEncoder#forward} / {@link ClipTextEncoder#encode}) plus the carried hidden state.
 */
public final class TextMemory {
  /** Qwen2.5-VL-7B-Instruct's text decoder (config.json of the release). */
  public static final QwenTextConfig QWEN25_VL_7B =
      new QwenTextConfig(152064, 3584, 18944, 28, 28, 4, 1e-6, 1_000_000.0, false, 128);
  /** openai/clip-vit-large-patch14's text tower. */
  public static final ClipTextConfig CLIP_L = new ClipTextConfig(49408, 768, 3072, 12, 12, 77, 1e-5, "quick_gelu", 2);

  private static final long F32 = 4;

  private TextMemory() {}

  public static long qwenWeightBytes(QwenTextConfig c, TextPrecision p) {
    return bytes(Qwen25VlTextEncoder.expectedShapes(c, "model.", false), p);
  }

  public static long clipWeightBytes(ClipTextConfig c, TextPrecision p) {
    return bytes(ClipTextEncoder.expectedShapes(c), p);
  }

  /**
   * One Qwen layer's temporaries for {@code tokens} tokens: per hidden-size row about 56 bytes of float32
   * (two RMSNorms with their square/normalise/scale, the rotary products of q, the repeated k, the float32
   * casts of the two branch outputs and the residual sums) and 9.5 GEMM-dtype copies (the norm casts, q, the
   * rotary concat, the repeated v, the attention output and its merge, o_proj and down_proj outputs); the
   * float32 scores take {@code 16 + c} bytes per (head, query, key) (scores, scaled, masked, softmax, the cast
   * probabilities); the MLP five intermediate-size GEMM-dtype tensors (gate, sigmoid, swish, up, product).
   */
  public static long qwenActivationBytes(QwenTextConfig q, int tokens, TextPrecision p) {
    long c = gemmBytes(p);
    long t = tokens;
    long h = q.hiddenSize();
    long kv = (long) q.numKvHeads() * q.headDim();
    long rows = t * h * (56 * 2 + 19 * c) / 2 + t * kv * (2 * c + 12 + 3 * c / 2);
    long scores = (long) q.numHeads() * t * t * (16 + c);
    long mlp = 5 * c * t * q.intermediateSize();
    // + the carried hidden state and the final norm's output; then the op-internal allowance
    return withAllowance(rows + scores + mlp + 2 * F32 * t * h);
  }

  /**
   * What the counted temporaries miss — libtorch's matmul/softmax workspaces and per-thread buffers — measured on
   * the CPU (TextMemoryTest: a 768-token encode of a hidden-256 Qwen peaks at 125-152 MB in float32 and 122-123
   * MB in float16 against 131 / 110 MB counted): half of the counted bytes on top.
   */
  static long withAllowance(long counted) {
    return counted + counted / 2;
  }

  /**
   * One CLIP layer's temporaries for {@code tokens} tokens: two LayerNorms with their casts, q/k/v/out and
   * fc2 in the GEMM dtype, float32 copies of the branch outputs and residual sums (about 40 bytes of float32
   * and 8 GEMM-dtype copies per hidden-size row), the float32 scores ({@code 16 + c} per head and pair) and
   * four intermediate-size tensors (fc1 and quick-GELU's three).
   */
  public static long clipActivationBytes(ClipTextConfig cc, int tokens, TextPrecision p) {
    long c = gemmBytes(p);
    long t = tokens;
    long h = cc.hiddenSize();
    return withAllowance(t * h * (40 + 8 * c) + (long) cc.numHeads() * t * t * (16 + c)
        + 4 * c * t * cc.intermediateSize() + 2 * F32 * t * h);
  }

  /** Bytes of loaded arrays (size x dtype width). */
  static long bytesOf(java.util.Collection<ai.djl.ndarray.NDArray> arrays) {
    long total = 0;
    for (ai.djl.ndarray.NDArray a : arrays) {
      total += a.size() * a.getDataType().getNumOfBytes();
    }
    return total;
  }

  static long gemmBytes(TextPrecision p) {
    return p == TextPrecision.FLOAT16 ? 2 : F32;
  }

  private static long bytes(Map<String, long[]> shapes, TextPrecision p) {
    long total = 0;
    for (var e : shapes.entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n = Math.multiplyExact(n, d);
      }
      total += n * (e.getKey().contains("norm") ? F32 : gemmBytes(p));
    }
    return total;
  }
}
