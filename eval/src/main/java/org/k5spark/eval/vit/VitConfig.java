package org.k5spark.eval.vit;

import org.k5spark.core.weights.TensorInfo;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.core.weights.WeightFileException;

/**
 * ViT sizes, read from the checkpoint's tensor shapes (nothing hard-coded): width and patch from the patch
 * conv, the trained grid from the position table, depth from the block keys, MLP width from fc1, output
 * width from CLIP's projection. Heads cannot be read from shapes: both DINO and OpenAI CLIP use 64-wide heads.
 */
public record VitConfig(VitLayout layout, int width, int patch, int grid, int layers, int heads, int mlp, int outDim) {
  public static final int HEAD_DIM = 64;

  public static VitConfig fromCheckpoint(TensorSource src, VitLayout layout, Integer headsOverride) {
    long[] conv = shape(src, layout.patchWeight());
    int width = (int) conv[0];
    int patch = (int) conv[2];
    if (conv.length != 4 || conv[1] != 3 || conv[2] != conv[3]) {
      throw new WeightFileException(src.fileOf(layout.patchWeight()) + ": patch conv '" + layout.patchWeight()
          + "' should be (width, 3, p, p)");
    }
    long[] pos = shape(src, layout.positions());
    long tokens = pos[pos.length - 2];
    int grid = (int) Math.round(Math.sqrt(tokens - 1));
    if ((long) grid * grid + 1 != tokens) {
      throw new WeightFileException(src.fileOf(layout.positions()) + ": position table has " + tokens
          + " rows, not 1 + a square grid");
    }
    int layers = 0;
    while (src.keys().contains(layout.param(layout.block(layers, "ln1"), "weight"))) {
      layers++;
    }
    if (layers == 0) {
      throw new WeightFileException("no transformer blocks (" + layout.blockPrefix() + "0.*) in the checkpoint");
    }
    int mlp = (int) shape(src, layout.param(layout.block(0, "fc1"), "weight"))[0];
    int outDim = layout.projection() == null ? width : (int) shape(src, layout.projection())[1];
    int heads = headsOverride != null ? headsOverride : Math.max(1, width / HEAD_DIM);
    if (width % heads != 0) {
      throw new IllegalArgumentException("width " + width + " not divisible by " + heads + " heads");
    }
    return new VitConfig(layout, width, patch, grid, layers, heads, mlp, outDim);
  }

  private static long[] shape(TensorSource src, String key) {
    if (!src.keys().contains(key)) {
      throw new WeightFileException("checkpoint has no tensor '" + key + "' (is this a ViT image tower?)");
    }
    TensorInfo info = src.info(key);
    return info.shape();
  }
}
