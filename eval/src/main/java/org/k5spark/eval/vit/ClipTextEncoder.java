package org.k5spark.eval.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.weights.StrictLoader;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.core.weights.WeightFileException;

/**
 * OpenAI CLIP's text tower ({@code encode_text}) from the top-level keys of a CLIP state_dict: token + position
 * embedding, causal pre-norm blocks, {@code ln_final}, the features at the end token (the largest id, found
 * with argmax as CLIP does) times {@code text_projection}. Sizes come from the checkpoint.
 */
public final class ClipTextEncoder implements AutoCloseable {
  private static final VitLayout LAYOUT = VitLayout.CLIP_TEXT;

  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final TransformerStack blocks;
  private final int context;
  private final int width;
  private final int outDim;

  private ClipTextEncoder(NDManager manager, Map<String, NDArray> params, int layers, int heads, int context, int width,
      int outDim) {
    this.manager = manager;
    this.params = params;
    this.context = context;
    this.width = width;
    this.outDim = outDim;
    this.blocks = new TransformerStack(params, LAYOUT, width, heads, layers);
  }

  /** Loads the text tower; {@code manager} becomes owned by the encoder. Heads default to width / 64. */
  public static ClipTextEncoder load(TensorSource src, Integer heads, NDManager manager) {
    for (String k : new String[] {"token_embedding.weight", LAYOUT.positions(), LAYOUT.projection()}) {
      if (!src.keys().contains(k)) {
        throw new WeightFileException("checkpoint has no CLIP text tower: tensor '" + k + "' missing");
      }
    }
    long[] tok = src.info("token_embedding.weight").shape();
    int width = (int) tok[1];
    int context = (int) src.info(LAYOUT.positions()).shape()[0];
    int outDim = (int) src.info(LAYOUT.projection()).shape()[1];
    int layers = 0;
    while (src.keys().contains(LAYOUT.param(LAYOUT.block(layers, "ln1"), "weight"))) {
      layers++;
    }
    int mlp = layers == 0 ? 0 : (int) src.info(LAYOUT.param(LAYOUT.block(0, "fc1"), "weight")).shape()[0];
    int h = heads != null ? heads : Math.max(1, width / VitConfig.HEAD_DIM);
    Map<String, long[]> expected = new LinkedHashMap<>();
    expected.put("token_embedding.weight", tok);
    expected.put(LAYOUT.positions(), new long[] {context, width});
    TransformerStack.expect(expected, LAYOUT, layers, width, mlp);
    TransformerStack.expectNorm(expected, LAYOUT, LAYOUT.finalNorm(), width);
    expected.put(LAYOUT.projection(), new long[] {width, outDim});
    Map<String, NDArray> loaded = StrictLoader.load(src, expected, k -> !LAYOUT.owns(k), manager, DataType.FLOAT32);
    return new ClipTextEncoder(manager, TransformerStack.transposeLinears(loaded, LAYOUT, layers), layers, h, context,
        width, outDim);
  }

  public int contextLength() {
    return context;
  }

  public int outDim() {
    return outDim;
  }

  /** Embeds token id sequences (each at most {@link #contextLength()} long, zero-padded here). */
  public float[][] embed(long[][] ids) {
    int b = ids.length;
    try (NDManager m = manager.newSubManager()) {
      NDArray table = params.get("token_embedding.weight");
      NDList rows = new NDList();
      int[] end = new int[b];
      for (int i = 0; i < b; i++) {
        if (ids[i].length > context) {
          throw new IllegalArgumentException("token sequence of " + ids[i].length + " ids exceeds the context of " + context);
        }
        long[] padded = Arrays.copyOf(ids[i], context);
        end[i] = argmax(padded);
        NDArray row = table.get(m.create(padded));
        row.attach(m); // results follow their first operand's manager: keep per-call arrays out of the weights'
        rows.add(row);
      }
      NDArray x = NDArrays.stack(rows).add(params.get(LAYOUT.positions()));
      float[] mask = new float[context * context];
      for (int r = 0; r < context; r++) {
        for (int c = r + 1; c < context; c++) {
          mask[r * context + c] = Float.NEGATIVE_INFINITY;
        }
      }
      x = blocks.forward(x, m.create(mask, new Shape(context, context)));
      x = blocks.layerNorm(x, LAYOUT.finalNorm());
      NDList pooled = new NDList();
      for (int i = 0; i < b; i++) {
        pooled.add(x.get(i).get(end[i]));
      }
      float[] host = NDArrays.stack(pooled).matMul(params.get(LAYOUT.projection())).toFloatArray();
      float[][] out = new float[b][outDim];
      for (int i = 0; i < b; i++) {
        System.arraycopy(host, i * outDim, out[i], 0, outDim);
      }
      return out;
    }
  }

  /** First index of the largest id (torch.argmax semantics), i.e. the end-of-text token. */
  static int argmax(long[] ids) {
    int best = 0;
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] > ids[best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public void close() {
    manager.close();
  }
}
