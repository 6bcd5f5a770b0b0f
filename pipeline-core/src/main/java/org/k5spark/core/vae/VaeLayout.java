package org.k5spark.core.vae;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameter names and shapes of the diffusers-format HunyuanVideo VAE file
 * ({@code vae/diffusion_pytorch_model.safetensors}) for a {@link VaeConfig}.
 * The decoder half is what {@link HunyuanVae} loads strictly; the encoder half exists so that
 * {@link TinyVae} writes files with the released layout (the decoder ignores it).
 */
public final class VaeLayout {
  private VaeLayout() {}

  /** Keys that belong to the encoder side of the autoencoder and are not needed to decode. */
  public static boolean isEncoderKey(String key) {
    return key.startsWith("encoder.") || key.startsWith("quant_conv.");
  }

  /** A GroupNorm's weight or bias ({@code norm1}, {@code norm2}, {@code group_norm}, {@code conv_norm_out}). */
  public static boolean isNormParameter(String key) {
    String module = key.substring(0, key.lastIndexOf('.'));
    String leaf = module.substring(module.lastIndexOf('.') + 1);
    return leaf.equals("norm1") || leaf.equals("norm2") || leaf.equals("group_norm") || leaf.equals("conv_norm_out");
  }

  /** {@code post_quant_conv.*} and {@code decoder.*}, in module order. */
  public static Map<String, long[]> decoder(VaeConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    int lat = c.latentChannels();
    int top = c.channels(c.blocks() - 1);
    conv(m, "post_quant_conv", lat, lat, 1, false);
    conv(m, "decoder.conv_in", top, lat, 3, true);
    midBlock(m, "decoder.mid_block", c, top);
    var rev = c.reversedChannels();
    for (int i = 0; i < c.blocks(); i++) {
      int in = rev.get(Math.max(i - 1, 0));
      int out = rev.get(i);
      String p = "decoder.up_blocks." + i;
      for (int j = 0; j <= c.layersPerBlock(); j++) {
        resnet(m, p + ".resnets." + j, j == 0 ? in : out, out);
      }
      if (c.upFactor(i) != null) {
        conv(m, p + ".upsamplers.0.conv", out, out, 3, true);
      }
    }
    norm(m, "decoder.conv_norm_out", c.channels(0));
    conv(m, "decoder.conv_out", c.outChannels(), c.channels(0), 3, true);
    return m;
  }

  /** {@code encoder.*} and {@code quant_conv.*} as {@code AutoencoderKLHunyuanVideo} declares them. */
  public static Map<String, long[]> encoder(VaeConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    int top = c.channels(c.blocks() - 1);
    conv(m, "encoder.conv_in", c.channels(0), c.inChannels(), 3, true);
    int out = c.channels(0);
    for (int i = 0; i < c.blocks(); i++) {
      int in = out;
      out = c.channels(i);
      String p = "encoder.down_blocks." + i;
      for (int j = 0; j < c.layersPerBlock(); j++) {
        resnet(m, p + ".resnets." + j, j == 0 ? in : out, out);
      }
      if (c.downsamples(i)) {
        conv(m, p + ".downsamplers.0.conv", out, out, 3, true);
      }
    }
    midBlock(m, "encoder.mid_block", c, top);
    norm(m, "encoder.conv_norm_out", top);
    conv(m, "encoder.conv_out", 2 * c.latentChannels(), top, 3, true);
    conv(m, "quant_conv", 2 * c.latentChannels(), 2 * c.latentChannels(), 1, false);
    return m;
  }

  private static void midBlock(Map<String, long[]> m, String p, VaeConfig c, int ch) {
    resnet(m, p + ".resnets.0", ch, ch);
    if (c.midBlockAddAttention()) {
      String a = p + ".attentions.0";
      norm(m, a + ".group_norm", ch);
      for (String proj : new String[] {"to_q", "to_k", "to_v", "to_out.0"}) {
        m.put(a + "." + proj + ".weight", new long[] {ch, ch});
        m.put(a + "." + proj + ".bias", new long[] {ch});
      }
    }
    resnet(m, p + ".resnets.1", ch, ch);
  }

  private static void resnet(Map<String, long[]> m, String p, int in, int out) {
    norm(m, p + ".norm1", in);
    conv(m, p + ".conv1", out, in, 3, true);
    norm(m, p + ".norm2", out);
    conv(m, p + ".conv2", out, out, 3, true);
    if (in != out) {
      conv(m, p + ".conv_shortcut", out, in, 1, true);
    }
  }

  private static void norm(Map<String, long[]> m, String p, int ch) {
    m.put(p + ".weight", new long[] {ch});
    m.put(p + ".bias", new long[] {ch});
  }

  /** A causal conv's parameters live one level deeper ({@code <name>.conv.weight}); a plain Conv3d's do not. */
  private static void conv(Map<String, long[]> m, String p, int out, int in, int k, boolean causal) {
    String q = causal ? p + ".conv" : p;
    m.put(q + ".weight", new long[] {out, in, k, k, k});
    m.put(q + ".bias", new long[] {out});
  }
}
