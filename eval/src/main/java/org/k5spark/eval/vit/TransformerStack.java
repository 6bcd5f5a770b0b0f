package org.k5spark.eval.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The pre-norm residual blocks shared by the ViT image towers and CLIP's text tower:
 * {@code x += attn(ln1(x)); x += mlp(ln2(x))}, packed q/k/v projection, optional additive attention mask.
 */
final class TransformerStack {
  private final Map<String, NDArray> params;
  private final VitLayout layout;
  private final int width;
  private final int heads;
  private final int layers;

  /** @param params weights by checkpoint key, linear weights already transposed to (in, out) */
  TransformerStack(Map<String, NDArray> params, VitLayout layout, int width, int heads, int layers) {
    this.params = params;
    this.layout = layout;
    this.width = width;
    this.heads = heads;
    this.layers = layers;
  }

  static void expect(Map<String, long[]> expected, VitLayout layout, int layers, long width, long mlp) {
    for (int i = 0; i < layers; i++) {
      expectNorm(expected, layout, layout.block(i, "ln1"), width);
      expectLinear(expected, layout, layout.block(i, "qkv"), 3 * width, width);
      expectLinear(expected, layout, layout.block(i, "out"), width, width);
      expectNorm(expected, layout, layout.block(i, "ln2"), width);
      expectLinear(expected, layout, layout.block(i, "fc1"), mlp, width);
      expectLinear(expected, layout, layout.block(i, "fc2"), width, mlp);
    }
  }

  static void expectNorm(Map<String, long[]> expected, VitLayout layout, String module, long width) {
    expected.put(layout.param(module, "weight"), new long[] {width});
    expected.put(layout.param(module, "bias"), new long[] {width});
  }

  private static void expectLinear(Map<String, long[]> expected, VitLayout layout, String module, long out, long in) {
    expected.put(layout.param(module, "weight"), new long[] {out, in});
    expected.put(layout.param(module, "bias"), new long[] {out});
  }

  /** Linear weights are stored (out, in); keep them transposed once for {@code x @ W^T}. */
  static Map<String, NDArray> transposeLinears(Map<String, NDArray> loaded, VitLayout layout, int layers) {
    Set<String> linears = new HashSet<>();
    for (int i = 0; i < layers; i++) {
      for (String part : new String[] {"qkv", "out", "fc1", "fc2"}) {
        linears.add(layout.param(layout.block(i, part), "weight"));
      }
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (var e : loaded.entrySet()) {
      out.put(e.getKey(), linears.contains(e.getKey()) ? e.getValue().transpose() : e.getValue());
    }
    return out;
  }

  /** @param mask additive (T, T) attention mask or null */
  NDArray forward(NDArray x, NDArray mask) {
    for (int i = 0; i < layers; i++) {
      x = x.add(attention(layerNorm(x, layout.block(i, "ln1")), i, mask));
      x = x.add(mlp(layerNorm(x, layout.block(i, "ln2")), i));
    }
    return x;
  }

  private NDArray attention(NDArray x, int block, NDArray mask) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int hd = width / heads;
    NDArray qkv = linear(x, layout.block(block, "qkv")).reshape(b, t, 3, heads, hd).transpose(2, 0, 3, 1, 4);
    NDArray q = qkv.get(0).mul(1.0 / Math.sqrt(hd));
    NDArray scores = q.matMul(qkv.get(1).transpose(0, 1, 3, 2));
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray o = scores.softmax(-1).matMul(qkv.get(2)).transpose(0, 2, 1, 3).reshape(b, t, width);
    return linear(o, layout.block(block, "out"));
  }

  private NDArray mlp(NDArray x, int block) {
    NDArray h = linear(x, layout.block(block, "fc1"));
    h = layout.quickGelu() ? h.mul(Activation.sigmoid(h.mul(1.702f))) : Activation.gelu(h);
    return linear(h, layout.block(block, "fc2"));
  }

  private NDArray linear(NDArray x, String module) {
    return x.matMul(params.get(layout.param(module, "weight"))).add(params.get(layout.param(module, "bias")));
  }

  NDArray layerNorm(NDArray x, String module) {
    NDArray gamma = params.get(layout.param(module, "weight"));
    NDArray beta = params.get(layout.param(module, "bias"));
    return x.getNDArrayInternal().layerNorm(x, new Shape(width), gamma, beta, (float) layout.layerNormEps()).head();
  }
}
