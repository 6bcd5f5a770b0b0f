package org.k5spark.core.dit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.config.DitParams;

/**
 * The parameter names and shapes of the reference {@code DiffusionTransformer3D.state_dict()} — the keys of
 * the released kandinsky5lite_t2v_*.safetensors (golden README §3.2). RoPE and time frequency tables are
 * non-persistent buffers in the reference and are computed, not stored.
 */
public final class DitCheckpointLayout {
  private DitCheckpointLayout() {}

  public static Map<String, long[]> expectedShapes(DitParams p) {
    long md = p.modelDim();
    long td = p.timeDim();
    long hd = p.headDim();
    Map<String, long[]> m = new LinkedHashMap<>();
    linear(m, "time_embeddings.in_layer", md, td);
    linear(m, "time_embeddings.out_layer", td, td);
    linear(m, "text_embeddings.in_layer", p.inTextDim(), md);
    norm(m, "text_embeddings.norm", md);
    linear(m, "pooled_text_embeddings.in_layer", p.inTextDim2(), td);
    norm(m, "pooled_text_embeddings.norm", td);
    linear(m, "visual_embeddings.in_layer", (long) p.patchVolume() * p.visualEmbedDim(), md);
    for (int i = 0; i < p.numTextBlocks(); i++) {
      String b = "text_transformer_blocks." + i;
      linear(m, b + ".text_modulation.out_layer", td, 6 * md);
      attention(m, b + ".self_attention", md, hd);
      feedForward(m, b + ".feed_forward", md, p.ffDim());
    }
    for (int i = 0; i < p.numVisualBlocks(); i++) {
      String b = "visual_transformer_blocks." + i;
      linear(m, b + ".visual_modulation.out_layer", td, 9 * md);
      attention(m, b + ".self_attention", md, hd);
      attention(m, b + ".cross_attention", md, hd);
      feedForward(m, b + ".feed_forward", md, p.ffDim());
    }
    linear(m, "out_layer.modulation.out_layer", td, 2 * md);
    linear(m, "out_layer.out_layer", md, (long) p.patchVolume() * p.outVisualDim());
    return m;
  }

  private static void linear(Map<String, long[]> m, String name, long in, long out) {
    m.put(name + ".weight", new long[] {out, in});
    m.put(name + ".bias", new long[] {out});
  }

  private static void norm(Map<String, long[]> m, String name, long dim) {
    m.put(name + ".weight", new long[] {dim});
    m.put(name + ".bias", new long[] {dim});
  }

  private static void attention(Map<String, long[]> m, String name, long md, long hd) {
    linear(m, name + ".to_query", md, md);
    linear(m, name + ".to_key", md, md);
    linear(m, name + ".to_value", md, md);
    m.put(name + ".query_norm.weight", new long[] {hd});
    m.put(name + ".key_norm.weight", new long[] {hd});
    linear(m, name + ".out_layer", md, md);
  }

  private static void feedForward(Map<String, long[]> m, String name, long md, long ff) {
    m.put(name + ".in_layer.weight", new long[] {ff, md});
    m.put(name + ".out_layer.weight", new long[] {md, ff});
  }
}
