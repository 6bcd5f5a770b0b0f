package org.k5spark.eval.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
  private final TransformerStack blocks;
  private final NDArray patchMatrix; // (3*p*p, width)
  private final NDArray classToken; // (1, 1, width)

  private VisionTransformer(VitConfig config, NDManager weightsManager, Map<String, NDArray> w, float[] positions) {
    this.config = config;
    this.weightsManager = weightsManager;
    this.params = w;
    this.positions = positions;
    this.blocks = new TransformerStack(w, config.layout(), config.width(), config.heads(), config.layers());
    int p = config.patch();
    this.patchMatrix = w.get(config.layout().patchWeight()).reshape(config.width(), 3L * p * p).transpose();
    this.classToken = w.get(config.layout().classToken()).reshape(1, 1, config.width());
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
      TransformerStack.expectNorm(expected, layout, layout.preNorm(), wd);
    }
    TransformerStack.expect(expected, layout, c.layers(), wd, c.mlp());
    TransformerStack.expectNorm(expected, layout, layout.finalNorm(), wd);
    if (layout.projection() != null) {
      expected.put(layout.projection(), new long[] {wd, c.outDim()});
    }
    Map<String, NDArray> loaded = StrictLoader.load(src, expected, k -> !layout.owns(k), manager, DataType.FLOAT32);
    Map<String, NDArray> w = TransformerStack.transposeLinears(loaded, layout, c.layers());
    float[] pos = loaded.get(layout.positions()).toFloatArray();
    return new VisionTransformer(c, manager, w, pos);
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
      x = x.matMul(patchMatrix);
      if (layout.patchBias() != null) {
        x = x.add(params.get(layout.patchBias()));
      }
      // results follow their first operand's manager: move this per-call array out of the weights' manager
      NDArray cls = classToken.broadcast(new Shape(b, 1, width));
      cls.attach(m);
      x = NDArrays.concat(new ai.djl.ndarray.NDList(cls, x), 1);
      x = x.add(m.create(PositionTable.forGrid(positions, config.grid(), width, gh, gw), new Shape(1, 1L + gh * gw, width)));
      if (layout.preNorm() != null) {
        x = blocks.layerNorm(x, layout.preNorm());
      }
      x = blocks.forward(x, null);
      NDArray out;
      if (layout == VitLayout.DINO) {
        out = blocks.layerNorm(x, layout.finalNorm()).get(":, 0, :");
      } else {
        out = blocks.layerNorm(x.get(":, 0, :"), layout.finalNorm()).matMul(params.get(layout.projection()));
      }
      float[] host = out.toFloatArray();
      float[][] result = new float[b][config.outDim()];
      for (int i = 0; i < b; i++) {
        System.arraycopy(host, i * config.outDim(), result[i], 0, config.outDim());
      }
      return result;
    }
  }

  @Override
  public void close() {
    weightsManager.close();
  }
}
