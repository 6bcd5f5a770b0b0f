package org.k5spark.core.vae;

import static org.k5spark.core.vae.VaeOps.causalConv;
import static org.k5spark.core.vae.VaeOps.groupNorm;
import static org.k5spark.core.vae.VaeOps.scoped;
import static org.k5spark.core.vae.VaeOps.siluInPlace;

import ai.djl.ndarray.NDArray;

/**
 * {@code post_quant_conv} + {@code HunyuanVideoDecoder3D} on one (sub-)latent {@code (1, C_lat, T, H, W)}
 * → {@code (1, 3, F, sH, sW)}. Every call is independent: its own group-norm statistics and its own causal
 * padding at its first frame and borders, which is what the tiled decode relies on.
 */
public final class VaeDecoder {
  private final VaeConfig config;
  private final VaeWeights w;
  private final MidBlockAttention attention;

  public VaeDecoder(VaeConfig config, VaeWeights weights) {
    this.config = config;
    this.w = weights;
    this.attention = config.midBlockAddAttention()
        ? new MidBlockAttention(weights, "decoder.mid_block.attentions.0", config.normNumGroups())
        : null;
  }

  public VaeConfig config() {
    return config;
  }

  /** Decodes one latent clip; the result lives in {@code z}'s manager. */
  public NDArray decode(NDArray z) {
    long[] s = z.getShape().getShape();
    if (s.length != 5 || s[0] != 1 || s[1] != config.latentChannels()) {
      throw new IllegalArgumentException("decoder input must be (1, " + config.latentChannels()
          + ", T, H, W), got " + z.getShape());
    }
    return scoped(z, in -> {
      NDArray h = causalConv(in, w.get("post_quant_conv.weight"), w.get("post_quant_conv.bias"));
      h = conv("decoder.conv_in", h);
      h = resnet("decoder.mid_block.resnets.0", h);
      if (attention != null) {
        NDArray prev = h;
        h = attention.forward(prev);
        prev.close();
      }
      h = resnet("decoder.mid_block.resnets.1", h);
      for (int i = 0; i < config.blocks(); i++) {
        String p = "decoder.up_blocks." + i;
        for (int j = 0; j <= config.layersPerBlock(); j++) {
          h = resnet(p + ".resnets." + j, h);
        }
        int[] f = config.upFactor(i);
        if (f != null) {
          NDArray prev = h;
          h = scoped(prev, x -> conv(p + ".upsamplers.0.conv", VaeOps.upsampleNearest(x, f[0], f[1], f[2])));
          prev.close();
        }
      }
      NDArray prev = h;
      h = scoped(prev, x -> conv("decoder.conv_out", siluInPlace(norm("decoder.conv_norm_out", x))));
      prev.close();
      return h;
    });
  }

  private NDArray resnet(String p, NDArray x) {
    NDArray out = scoped(x, in -> {
      // temporaries are closed as soon as they are consumed to keep the peak near three activations
      NDArray a = siluInPlace(norm(p + ".norm1", in));
      NDArray h1 = conv(p + ".conv1", a);
      a.close();
      NDArray b = siluInPlace(norm(p + ".norm2", h1));
      h1.close();
      NDArray h = conv(p + ".conv2", b);
      b.close();
      NDArray residual = w.has(p + ".conv_shortcut.conv.weight") ? conv(p + ".conv_shortcut", in) : in;
      return h.addi(residual);
    });
    x.close();
    return out;
  }

  private NDArray conv(String p, NDArray x) {
    return causalConv(x, w.get(p + ".conv.weight"), w.get(p + ".conv.bias"));
  }

  private NDArray norm(String p, NDArray x) {
    return groupNorm(x, w.get(p + ".weight"), w.get(p + ".bias"), config.normNumGroups());
  }
}
