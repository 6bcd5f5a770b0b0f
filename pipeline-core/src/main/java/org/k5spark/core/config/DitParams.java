package org.k5spark.core.config;

import java.util.Arrays;

/**
 * The constructor arguments of the reference {@code DiffusionTransformer3D} (the {@code dit_params} section
 * of a model YAML, or of a golden case.json).
 */
public record DitParams(int inVisualDim, int outVisualDim, int timeDim, int[] patchSize, int modelDim, int ffDim,
    int numTextBlocks, int numVisualBlocks, int[] axesDims, boolean visualCond, int inTextDim, int inTextDim2) {

  public static DitParams parse(ConfigNode n) {
    n.allowOnly("in_visual_dim", "out_visual_dim", "time_dim", "patch_size", "model_dim", "ff_dim", "num_text_blocks",
        "num_visual_blocks", "axes_dims", "visual_cond", "in_text_dim", "in_text_dim2");
    DitParams p = new DitParams(n.positiveInt("in_visual_dim"), n.positiveInt("out_visual_dim"),
        n.positiveInt("time_dim"), n.ints("patch_size", 3), n.positiveInt("model_dim"), n.positiveInt("ff_dim"),
        n.integer("num_text_blocks"), n.integer("num_visual_blocks"), n.ints("axes_dims", 3), n.bool("visual_cond"),
        n.positiveInt("in_text_dim"), n.positiveInt("in_text_dim2"));
    for (int a : p.axesDims) {
      if (a <= 0 || a % 2 != 0) {
        throw n.fail("axes_dims", "must hold positive even sizes (RoPE rotates pairs), got " + Arrays.toString(p.axesDims));
      }
    }
    for (int s : p.patchSize) {
      if (s <= 0) {
        throw n.fail("patch_size", "must be positive, got " + Arrays.toString(p.patchSize));
      }
    }
    if (p.modelDim % p.headDim() != 0) {
      throw n.fail("model_dim", "(" + p.modelDim + ") must be a multiple of sum(axes_dims) = head_dim " + p.headDim());
    }
    if (p.modelDim % 2 != 0) {
      throw n.fail("model_dim", "must be even (time embedding), got " + p.modelDim);
    }
    if (p.numTextBlocks < 0 || p.numVisualBlocks < 0) {
      throw n.fail("num_visual_blocks", "block counts must be >= 0");
    }
    return p;
  }

  public int headDim() {
    return axesDims[0] + axesDims[1] + axesDims[2];
  }

  public int numHeads() {
    return modelDim / headDim();
  }

  /** Channels the visual embedding expects: latent, plus condition latent and mask when visual_cond. */
  public int visualEmbedDim() {
    return visualCond ? 2 * inVisualDim + 1 : inVisualDim;
  }

  public int patchVolume() {
    return patchSize[0] * patchSize[1] * patchSize[2];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DitParams d && d.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "DitParams[in_visual_dim=" + inVisualDim + ", out_visual_dim=" + outVisualDim + ", time_dim=" + timeDim
        + ", patch_size=" + Arrays.toString(patchSize) + ", model_dim=" + modelDim + ", ff_dim=" + ffDim
        + ", num_text_blocks=" + numTextBlocks + ", num_visual_blocks=" + numVisualBlocks + ", axes_dims="
        + Arrays.toString(axesDims) + ", visual_cond=" + visualCond + ", in_text_dim=" + inTextDim
        + ", in_text_dim2=" + inTextDim2 + "]";
  }
}
