package org.k5spark.core.vae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The constructor arguments of {@code AutoencoderKLHunyuanVideo} as stored in the diffusers
 * {@code vae/config.json}; every decoder size is derived from it.
 *
 * @param source where the values came from, for error messages
 */
public record VaeConfig(int inChannels, int outChannels, int latentChannels, int[] blockOutChannels,
    int layersPerBlock, int normNumGroups, String actFn, double scalingFactor, int spatialCompressionRatio,
    int temporalCompressionRatio, boolean midBlockAddAttention, String source) {

  /** HunyuanVideo's VAE as released (vae/config.json of the Kandinsky 5 checkpoints). */
  public static final VaeConfig HUNYUAN_VIDEO = new VaeConfig(3, 3, 16, new int[] {128, 256, 512, 512}, 2, 32, "silu",
      0.476986, 8, 4, true, "HunyuanVideo VAE (released config)");
  public static final String UP_BLOCK = "HunyuanVideoUpBlock3D";
  public static final String DOWN_BLOCK = "HunyuanVideoDownBlock3D";

  public VaeConfig {
    blockOutChannels = blockOutChannels.clone();
    if (blockOutChannels.length < 1) {
      throw bad(source, "block_out_channels", "must not be empty");
    }
    for (int c : blockOutChannels) {
      if (c <= 0 || c % normNumGroups != 0) {
        throw bad(source, "block_out_channels", Arrays.toString(blockOutChannels)
            + " must be positive multiples of norm_num_groups " + normNumGroups);
      }
    }
    if (temporalCompressionRatio != 4) {
      // The reference raises for anything else ("Unsupported time_compression_ratio").
      throw bad(source, "temporal_compression_ratio", temporalCompressionRatio + " (only 4 is supported)");
    }
    if (Integer.bitCount(spatialCompressionRatio) != 1) {
      throw bad(source, "spatial_compression_ratio", spatialCompressionRatio + " is not a power of two");
    }
    if (!"silu".equals(actFn) && !"swish".equals(actFn)) {
      throw bad(source, "act_fn", "'" + actFn + "' (only silu/swish)");
    }
    if (layersPerBlock < 1 || normNumGroups < 1 || latentChannels < 1 || outChannels < 1 || inChannels < 1) {
      throw bad(source, "layers_per_block/norm_num_groups/channels", "must be positive");
    }
    if (!(scalingFactor > 0)) {
      throw bad(source, "scaling_factor", scalingFactor + " must be positive");
    }
  }

  private static IllegalArgumentException bad(String source, String field, String msg) {
    return new IllegalArgumentException(source + ": field '" + field + "': " + msg);
  }

  public static VaeConfig read(Path configJson) {
    try {
      return fromJson(new ObjectMapper().readTree(Files.readString(configJson)), configJson.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read VAE config " + configJson + ": " + e.getMessage(), e);
    }
  }

  public static VaeConfig fromJson(JsonNode n, String source) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(source + ": not a JSON object");
    }
    JsonNode boc = require(n, "block_out_channels", source);
    int[] channels = new int[boc.size()];
    for (int i = 0; i < channels.length; i++) {
      channels[i] = boc.get(i).asInt();
    }
    checkBlockTypes(n, "up_block_types", UP_BLOCK, channels.length, source);
    checkBlockTypes(n, "down_block_types", DOWN_BLOCK, channels.length, source);
    return new VaeConfig(n.path("in_channels").asInt(3), n.path("out_channels").asInt(3),
        n.path("latent_channels").asInt(16), channels, n.path("layers_per_block").asInt(2),
        n.path("norm_num_groups").asInt(32), n.path("act_fn").asText("silu"),
        n.path("scaling_factor").asDouble(0.476986), n.path("spatial_compression_ratio").asInt(8),
        n.path("temporal_compression_ratio").asInt(4), n.path("mid_block_add_attention").asBoolean(true), source);
  }

  private static void checkBlockTypes(JsonNode n, String field, String expected, int count, String source) {
    JsonNode t = n.get(field);
    if (t == null) {
      return; // diffusers default: four blocks of the one supported type
    }
    if (t.size() != count) {
      throw bad(source, field, t.size() + " entries but block_out_channels has " + count);
    }
    for (JsonNode s : t) {
      if (!expected.equals(s.asText())) {
        throw bad(source, field, "unsupported block type '" + s.asText() + "'");
      }
    }
  }

  private static JsonNode require(JsonNode n, String field, String source) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw bad(source, field, "missing");
    }
    return v;
  }

  /** The constructor arguments as a diffusers config.json object. */
  public String toJson() {
    var om = new ObjectMapper();
    var o = om.createObjectNode();
    o.put("_class_name", "AutoencoderKLHunyuanVideo");
    o.put("_diffusers_version", "0.35.1");
    o.put("act_fn", actFn);
    var boc = o.putArray("block_out_channels");
    var down = o.putArray("down_block_types");
    var up = o.putArray("up_block_types");
    for (int c : blockOutChannels) {
      boc.add(c);
      down.add(DOWN_BLOCK);
      up.add(UP_BLOCK);
    }
    o.put("in_channels", inChannels);
    o.put("latent_channels", latentChannels);
    o.put("layers_per_block", layersPerBlock);
    o.put("mid_block_add_attention", midBlockAddAttention);
    o.put("norm_num_groups", normNumGroups);
    o.put("out_channels", outChannels);
    o.put("scaling_factor", scalingFactor);
    o.put("spatial_compression_ratio", spatialCompressionRatio);
    o.put("temporal_compression_ratio", temporalCompressionRatio);
    try {
      return om.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int[] blockOutChannels() {
    return blockOutChannels.clone();
  }

  public int blocks() {
    return blockOutChannels.length;
  }

  public int channels(int i) {
    return blockOutChannels[i];
  }

  /**
   * Upsampling factor {@code (ft, fh, fw)} of decoder up block {@code i}, or null when it has no upsampler
   * (the rule of {@code HunyuanVideoDecoder3D.__init__} for temporal ratio 4).
   */
  public int[] upFactor(int i) {
    int n = blocks();
    int spatialLayers = Integer.numberOfTrailingZeros(spatialCompressionRatio);
    int timeLayers = Integer.numberOfTrailingZeros(temporalCompressionRatio);
    boolean spatial = i < spatialLayers;
    boolean time = i >= n - 1 - timeLayers && i != n - 1;
    if (!spatial && !time) {
      return null;
    }
    int s = spatial ? 2 : 1;
    return new int[] {time ? 2 : 1, s, s};
  }

  /** Encoder down block {@code i} downsamples (same rule as the upsamplers, mirrored). */
  public boolean downsamples(int i) {
    return upFactor(i) != null;
  }

  /** Decoded frame count for {@code latentFrames}, as the decoder produces it. */
  public long pixelFrames(long latentFrames) {
    long f = latentFrames;
    for (int i = 0; i < blocks(); i++) {
      int[] u = upFactor(i);
      if (u != null) {
        f = 1 + u[0] * (f - 1);
      }
    }
    return f;
  }

  /** The spatial upsampling of the whole decoder (product of the up blocks' factors). */
  public int pixelScale() {
    int s = 1;
    for (int i = 0; i < blocks(); i++) {
      int[] u = upFactor(i);
      if (u != null) {
        s *= u[1];
      }
    }
    return s;
  }

  List<Integer> reversedChannels() {
    List<Integer> l = new ArrayList<>();
    for (int i = blocks() - 1; i >= 0; i--) {
      l.add(blockOutChannels[i]);
    }
    return l;
  }
}
