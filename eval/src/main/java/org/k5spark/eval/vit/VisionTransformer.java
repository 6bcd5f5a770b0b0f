package org.k5spark.eval.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.weights.StrictLoader;
import org.k5spark.core.weights.TensorSource;

/**
 * One ViT image tower on DJL for both DINO and OpenAI-CLIP checkpoints ({@link VitLayout}): patch embedding,
 * class token, position table (bicubic-interpolated DINO-style when the patch grid differs from the trained
 * one), pre-norm blocks, and the layout's head (DINO: final norm, CLS; CLIP: ln_post(CLS) @ proj).
 * Weights live in the manager given at load; each {@link #embed} call allocates in its own sub-manager.
 */
public final class VisionTransformer implements AutoCloseable {
  private final VitConfig config;
  private final NDManager weightsManager;
  private final Map<String, NDArray> params;
  private final float[] positions; // (1 + grid*grid, width), host copy for interpolation

  private VisionTransformer(VitConfig config, NDManager weightsManager, Map<String, NDArray> w, float[] positions) {
    this.config = config;
    this.weightsManager = weightsManager;
    this.params = w;
    this.positions = positions;
  }

  /** Loads a tower from {@code src}; {@code manager} becomes owned by the returned model. */
  public static VisionTransformer load(TensorSource src, VitLayout layout, Integer heads, NDManager manager) {
    VitConfig c = VitConfig.fromCheckpoint(src, layout, heads);
    Map<String, long[]> expected = new LinkedHashMap<>();
    long wd = c.width();
    expected.put(layout.patchWeight(), new long[] {wd, 3, c.patch(), c.patch()});
    if (layout.patchBias() != null) {
      expected.put(layout.patchBias(), new long[] {wd});
    }
    long tokens = 1L + (long) c.grid() * c.grid();
    expected.put(layout.classToken(), layout == VitLayout.DINO ? new long[] {1, 1, wd} : new long[] {wd});
    expected.put(layout.positions(), layout == VitLayout.DINO ? new long[] {1, tokens, wd} : new long[] {tokens, wd});
    if (layout.preNorm() != null) {
      norm(expected, layout, layout.preNorm(), wd);
    }
    for (int i = 0; i < c.layers(); i++) {
      norm(expected, layout, layout.block(i, "ln1"), wd);
      linear(expected, layout, layout.block(i, "qkv"), 3 * wd, wd);
      linear(expected, layout, layout.block(i, "out"), wd, wd);
      norm(expected, layout, layout.block(i, "ln2"), wd);
      linear(expected, layout, layout.block(i, "fc1"), c.mlp(), wd);
      linear(expected, layout, layout.block(i, "fc2"), wd, c.mlp());
    }
    norm(expected, layout, layout.finalNorm(), wd);
    if (layout.projection() != null) {
      expected.put(layout.projection(), new long[] {wd, c.outDim()});
    }
    Map<String, NDArray> loaded = StrictLoader.load(src, expected, k -> !layout.owns(k), manager, DataType.FLOAT32);
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (var e : loaded.entrySet()) {
      String k = e.getKey();
      NDArray a = e.getValue();
      // linear weights are stored (out, in): keep them transposed once for x @ W^T
      boolean linearWeight = a.getShape().dimension() == 2 && !k.equals(layout.positions()) && !k.equals(layout.projection());
      w.put(k, linearWeight ? a.transpose() : a);
    }
    float[] pos = loaded.get(layout.positions()).toFloatArray();
    return new VisionTransformer(c, manager, w, pos);
  }

  private static void norm(Map<String, long[]> expected, VitLayout layout, String module, long width) {
    expected.put(layout.param(module, "weight"), new long[] {width});
    expected.put(layout.param(module, "bias"), new long[] {width});
  }

  private static void linear(Map<String, long[]> expected, VitLayout layout, String module, long out, long in) {
    expected.put(layout.param(module, "weight"), new long[] {out, in});
    expected.put(layout.param(module, "bias"), new long[] {out});
  }

  public VitConfig config() {
    return config;
  }

  /**
   * Embeds a batch of preprocessed images, planar (3, h, w) each with h and w multiples of the patch
   * size (extra rows/columns are dropped like a strided conv does). Returns (B, outDim) on the host.
   */
  public float[][] embed(float[][] images, int h, int w) {
    VitLayout layout = config.layout();
    int p = config.patch();
    int gh = h / p;
    int gw = w / p;
    int b = images.length;
    int width = config.width();
    try (NDManager m = weightsManager.newSubManager()) {
      float[] flat = new float[b * 3 * gh * p * gw * p];
      for (int i = 0; i < b; i++) {
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < gh * p; y++) {
            System.arraycopy(images[i], (c * h + y) * w, flat, ((i * 3 + c) * gh * p + y) * gw * p, gw * p);
          }
        }
      }
      NDArray x = m.create(flat, new Shape(b, 3, gh, p, gw, p))
          .transpose(0, 2, 4, 1, 3, 5).reshape(b, (long) gh * gw, 3L * p * p);
      NDArray patchW = params.get(layout.patchWeight()).reshape(width, 3L * p * p).transpose();
      x = x.matMul(patchW);
      if (layout.patchBias() != null) {
        x = x.add(params.get(layout.patchBias()));
      }
      NDArray cls = params.get(layout.classToken()).reshape(1, 1, width).broadcast(new Shape(b, 1, width));
      x = NDArrays.concat(new ai.djl.ndarray.NDList(cls, x), 1);
      x = x.add(m.create(PositionTable.forGrid(positions, config.grid(), width, gh, gw), new Shape(1, 1L + gh * gw, width)));
      if (layout.preNorm() != null) {
        x = layerNorm(x, layout.preNorm());
      }
      for (int i = 0; i < config.layers(); i++) {
        x = x.add(attention(layerNorm(x, layout.block(i, "ln1")), i));
        x = x.add(mlp(layerNorm(x, layout.block(i, "ln2")), i));
      }
      NDArray out;
      if (layout == VitLayout.DINO) {
        out = layerNorm(x, layout.finalNorm()).get(":, 0, :");
      } else {
        out = layerNorm(x.get(":, 0, :"), layout.finalNorm()).matMul(params.get(layout.projection()));
      }
      float[] host = out.toFloatArray();
      float[][] result = new float[b][config.outDim()];
      for (int i = 0; i < b; i++) {
        System.arraycopy(host, i * config.outDim(), result[i], 0, config.outDim());
      }
      return result;
    }
  }

  private NDArray attention(NDArray x, int block) {
    VitLayout layout = config.layout();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int heads = config.heads();
    int hd = config.width() / heads;
    NDArray qkv = linear(x, layout.block(block, "qkv")).reshape(b, t, 3, heads, hd).transpose(2, 0, 3, 1, 4);
    NDArray q = qkv.get(0).mul(1.0 / Math.sqrt(hd));
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
    NDArray o = attn.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.width());
    return linear(o, layout.block(block, "out"));
  }

  private NDArray mlp(NDArray x, int block) {
    VitLayout layout = config.layout();
    NDArray h = linear(x, layout.block(block, "fc1"));
    // DINO: exact (erf) GELU; OpenAI CLIP: QuickGELU x * sigmoid(1.702 x)
    h = layout == VitLayout.DINO ? Activation.gelu(h) : h.mul(Activation.sigmoid(h.mul(1.702f)));
    return linear(h, layout.block(block, "fc2"));
  }

  private NDArray linear(NDArray x, String module) {
    VitLayout layout = config.layout();
    return x.matMul(params.get(layout.param(module, "weight"))).add(params.get(layout.param(module, "bias")));
  }

  private NDArray layerNorm(NDArray x, String module) {
    VitLayout layout = config.layout();
    NDArray gamma = params.get(layout.param(module, "weight"));
    NDArray beta = params.get(layout.param(module, "bias"));
    return x.getNDArrayInternal().layerNorm(x, new Shape(config.width()), gamma, beta, (float) layout.layerNormEps()).head();
  }

  @Override
  public void close() {
    weightsManager.close();
  }
}
