package org.k5spark.core.vae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.golden.CaseKind;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.golden.PreparedCase;

/**
 * Golden kinds {@code vae_decode} and {@code vae_decode_tiled}: latent → {@code video} (float, before
 * clamping), {@code video_uint8} and, where the case lists it, {@code video_untiled} (one-piece decode).
 * {@code config.tiling_override} (when not null) replaces {@code get_dec_optimal_tiling}; every size
 * comes from case.json, {@code vae/config.json} and the tensors.
 */
public final class VaeCaseKind implements CaseKind {
  @Override
  public boolean handles(String kind) {
    return "vae_decode".equals(kind) || "vae_decode_tiled".equals(kind);
  }

  @Override
  public String unsupportedReason(GoldenCase c) {
    if (!Files.isRegularFile(c.weightsPath().resolve("config.json"))) {
      return "no config.json in " + c.weightsPath();
    }
    if (!c.hasInput("latent")) {
      return "case has no input 'latent'";
    }
    for (String out : c.outputs().keySet()) {
      if (!out.equals("video") && !out.equals("video_uint8") && !out.equals("video_untiled")) {
        return "unknown output '" + out + "'";
      }
    }
    if (!"fp32".equals(c.precision())) {
      return "precision " + c.precision() + " (only fp32)";
    }
    return null;
  }

  /** The case's tiling: the override of {@code config.tiling_override}, else the reference's choice. */
  static VaeTiling tiling(GoldenCase c) {
    JsonNode o = c.config().get("tiling_override");
    if (o == null || o.isNull()) {
      return VaeTiling.AUTO;
    }
    return VaeTiling.forced(TilingPlan.of(ints(o.get("tile"), c, "tile"), ints(o.get("stride"), c, "stride")));
  }

  private static int[] ints(JsonNode n, GoldenCase c, String field) {
    if (n == null || !n.isArray()) {
      throw new IllegalArgumentException(c.dir().resolve("case.json") + ": config.tiling_override." + field
          + " must be an array");
    }
    int[] v = new int[n.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = n.get(i).asInt();
    }
    return v;
  }

  @Override
  public PreparedCase prepare(GoldenCase c, NDManager manager, Device device) {
    NDManager weights = manager.newSubManager(device);
    HunyuanVae vae = HunyuanVae.load(c.weightsPath(), weights);
    NDArray latent = c.input("latent", weights).toDevice(device, false);
    latent.attach(weights);
    VaeTiling tiling = tiling(c);
    boolean untiled = c.outputs().containsKey("video_untiled");
    return new PreparedCase() {
      @Override
      public Map<String, NDArray> run(NDManager scratch) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDArray video = vae.decode(latent, tiling);
        video.attach(scratch);
        out.put("video", video);
        NDArray u8 = HunyuanVae.toUint8(video);
        u8.attach(scratch);
        out.put("video_uint8", u8);
        if (untiled) {
          NDArray v = vae.decode(latent, VaeTiling.OFF);
          v.attach(scratch);
          out.put("video_untiled", v);
        }
        return out;
      }

      @Override
      public void close() {
        weights.close();
      }
    };
  }
}
