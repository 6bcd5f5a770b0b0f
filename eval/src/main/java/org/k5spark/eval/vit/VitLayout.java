package org.k5spark.eval.vit;

/**
 * Checkpoint naming and architectural variant of a transformer tower: DINO (facebookresearch/dino hub
 * state_dict: GELU, LayerNorm eps 1e-6, final {@code norm}, CLS output), OpenAI CLIP's image tower
 * {@code visual.*} (QuickGELU, eps 1e-5, {@code ln_pre}, {@code ln_post} on CLS, then {@code proj}) or OpenAI
 * CLIP's text tower (top-level {@code transformer.*}, {@code ln_final}, {@code text_projection}).
 */
public enum VitLayout {
  DINO("", 1e-6),
  CLIP("visual.", 1e-5),
  CLIP_TEXT("", 1e-5);

  private final String prefix;
  private final double eps;

  VitLayout(String prefix, double eps) {
    this.prefix = prefix;
    this.eps = eps;
  }

  public double layerNormEps() {
    return eps;
  }

  /** Keys of the checkpoint that belong to the image tower (CLIP files also hold the text tower). */
  public boolean owns(String key) {
    if (this == CLIP_TEXT) {
      // OpenAI's TorchScript .pt also holds the scalars build_model() deletes and the blocks' causal attn_mask
      // attributes (the text tower builds its own mask)
      return !key.startsWith("visual.") && !key.equals("logit_scale") && !key.equals("input_resolution")
          && !key.equals("context_length") && !key.equals("vocab_size") && !key.endsWith(".attn_mask");
    }
    return key.startsWith(prefix);
  }

  /** DINO uses exact GELU, both CLIP towers QuickGELU. */
  boolean quickGelu() {
    return this != DINO;
  }

  String patchWeight() {
    return this == DINO ? "patch_embed.proj.weight" : "visual.conv1.weight";
  }

  /** DINO's patch conv has a bias, CLIP's has none. */
  String patchBias() {
    return this == DINO ? "patch_embed.proj.bias" : null;
  }

  String classToken() {
    return this == DINO ? "cls_token" : "visual.class_embedding";
  }

  String positions() {
    return switch (this) {
      case DINO -> "pos_embed";
      case CLIP -> "visual.positional_embedding";
      case CLIP_TEXT -> "positional_embedding";
    };
  }

  String block(int i, String part) {
    if (this == DINO) {
      return "blocks." + i + "." + switch (part) {
        case "ln1" -> "norm1";
        case "ln2" -> "norm2";
        case "qkv" -> "attn.qkv";
        case "out" -> "attn.proj";
        case "fc1" -> "mlp.fc1";
        case "fc2" -> "mlp.fc2";
        default -> throw new IllegalArgumentException(part);
      };
    }
    return blockPrefix() + i + "." + switch (part) {
      case "ln1" -> "ln_1";
      case "ln2" -> "ln_2";
      case "qkv" -> "attn.in_proj_";
      case "out" -> "attn.out_proj";
      case "fc1" -> "mlp.c_fc";
      case "fc2" -> "mlp.c_proj";
      default -> throw new IllegalArgumentException(part);
    };
  }

  /** Weight/bias key of a linear or norm module; CLIP's packed qkv is {@code in_proj_weight}/{@code in_proj_bias}. */
  String param(String module, String kind) {
    return module.endsWith("_") ? module + kind : module + "." + kind;
  }

  String blockPrefix() {
    return this == DINO ? "blocks." : prefix + "transformer.resblocks.";
  }

  String finalNorm() {
    return switch (this) {
      case DINO -> "norm";
      case CLIP -> "visual.ln_post";
      case CLIP_TEXT -> "ln_final";
    };
  }

  String preNorm() {
    return this == DINO ? null : "visual.ln_pre";
  }

  String projection() {
    return switch (this) {
      case DINO -> null;
      case CLIP -> "visual.proj";
      case CLIP_TEXT -> "text_projection";
    };
  }
}
