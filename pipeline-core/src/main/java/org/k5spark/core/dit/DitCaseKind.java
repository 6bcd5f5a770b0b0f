package org.k5spark.core.dit;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.ConfigNode;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.golden.CaseKind;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.golden.PreparedCase;
import org.k5spark.core.sampler.Conditioning;
import org.k5spark.core.sampler.FlowMatchingSampler;
import org.k5spark.core.sampler.StepListener;
import org.k5spark.core.weights.TensorSource;

/**
 * Golden-case kinds {@code dit_forward} (one DiT call, dense or NABLA) and {@code sampler} (the whole
 * {@code generate()}). Everything is read from case.json and the tensors. The attention backend comes from
 * {@code -Dk5.attention}. {@code reference-bf16-casts} cases are computed in float32: that result must pass
 * both the loose bf16 {@code velocity} tolerance and the fp32 {@code velocity_fp32} one.
 */
public final class DitCaseKind implements CaseKind {
  @Override
  public boolean handles(String kind) {
    return "dit_forward".equals(kind) || "sampler".equals(kind);
  }

  @Override
  public String unsupportedReason(GoldenCase c) {
    try {
      ConfigNode cfg = config(c);
      DitParams.parse(cfg.child("dit_params"));
      AttentionConfig.parse(cfg.child("attention"));
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  private static ConfigNode config(GoldenCase c) {
    return ConfigNode.root(c.config(), c.dir().resolve("case.json").toString());
  }

  @Override
  public PreparedCase prepare(GoldenCase c, NDManager manager, Device device) {
    ConfigNode cfg = config(c);
    DitParams params = DitParams.parse(cfg.child("dit_params"));
    AttentionConfig attention = AttentionConfig.parse(cfg.child("attention"));
    DiffusionTransformer3D dit;
    try (TensorSource src = TensorSource.open(c.weightsPath())) {
      dit = DiffusionTransformer3D.load(params, attention, src, manager, DataType.FLOAT32,
          AttentionBackend.fromSystemProperty());
    }
    Map<String, NDArray> in = new HashMap<>();
    for (String name : c.inputs().keySet()) {
      in.put(name, c.input(name, manager));
    }
    float[] scale = in.containsKey("scale_factor") ? in.get("scale_factor").toFloatArray()
        : toFloats(cfg.child("metrics").numbers("scale_factor", 3));
    NDArray[] vpos = {in.get("visual_rope_pos.0"), in.get("visual_rope_pos.1"), in.get("visual_rope_pos.2")};
    if ("dit_forward".equals(c.kind())) {
      return new Prepared(dit) {
        @Override
        public Map<String, NDArray> run(NDManager scratch) {
          Map<String, NDArray> out = new LinkedHashMap<>();
          NDArray x = in.get("x").duplicate();
          x.attach(scratch);
          DitTrace trace = attention.nabla() ? (name, value) -> {
            if (c.outputs().containsKey(name)) {
              NDArray kept = value.duplicate();
              kept.attach(scratch);
              out.put(name, kept);
            }
          } : null;
          NDArray v = dit.forward(new DiffusionTransformer3D.Inputs(x, in.get("text_embed"), in.get("pooled_text_embed"),
              in.get("time"), vpos, in.get("text_rope_pos"), scale), trace);
          out.put("velocity", v);
          // reference-bf16-casts: the float32 result is checked against both the bf16 and the fp32 golden
          out.put("velocity_fp32", v);
          return out;
        }
      };
    }
    ConfigNode sc = cfg.child("sampler");
    FlowMatchingSampler.Settings settings = new FlowMatchingSampler.Settings(sc.positiveInt("num_steps"),
        sc.number("guidance_weight"), sc.number("scheduler_scale"), scale);
    Conditioning cond = new Conditioning(in.get("text_embed"), in.get("pooled_text_embed"), in.get("text_rope_pos"));
    Conditioning uncond = in.containsKey("null_text_embed")
        ? new Conditioning(in.get("null_text_embed"), in.get("null_pooled_text_embed"), in.get("null_text_rope_pos"))
        : null;
    FlowMatchingSampler sampler = new FlowMatchingSampler(dit);
    return new Prepared(dit) {
      @Override
      public Map<String, NDArray> run(NDManager scratch) {
        NDArray noise = in.get("noise").duplicate();
        noise.attach(scratch);
        NDArray latent = sampler.sample(noise, cond, uncond, settings, StepListener.NONE, null);
        return Map.of("latent", latent);
      }
    };
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private abstract static class Prepared implements PreparedCase {
    private final DiffusionTransformer3D dit;

    Prepared(DiffusionTransformer3D dit) {
      this.dit = dit;
    }

    @Override
    public void close() {
      dit.close();
    }
  }
}
