package org.k5spark.core.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.k5spark.core.golden.CaseKind;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.golden.PreparedCase;

/**
 * Golden kinds of the text encoders (golden README §9): {@code qwen_text_encode}, {@code qwen_text_embed}
 * (Kandinsky's crop and pack) and {@code clip_text_encode}. Sizes come from the weights' config.json and the
 * case's tensors; {@code crop_start} from case.json.
 */
public final class TextCaseKind implements CaseKind {
  private static final Set<String> KINDS = Set.of("qwen_text_encode", "qwen_text_embed", "clip_text_encode");
  private final TextPrecision precision;

  /** The golden runner's kind: float32, the precision the cases' tolerances are defined for. */
  public TextCaseKind() {
    this(TextPrecision.FLOAT32);
  }

  /** The same cases run in {@code precision} (the half path's parity test compares it with its own tolerance). */
  public TextCaseKind(TextPrecision precision) {
    this.precision = precision;
  }

  @Override
  public boolean handles(String kind) {
    return KINDS.contains(kind);
  }

  @Override
  public String unsupportedReason(GoldenCase c) {
    if (!handles(c.kind())) {
      return "not a text kind";
    }
    if (!c.precision().equals("fp32")) {
      return "precision " + c.precision() + " (only fp32 text cases are defined)";
    }
    if (c.kind().equals("qwen_text_embed") && !c.config().has("crop_start")
        && !c.config().has("type_of_content")) {
      return "case.json config has neither crop_start nor type_of_content";
    }
    return null;
  }

  @Override
  public PreparedCase prepare(GoldenCase c, NDManager manager, Device device) {
    if (c.kind().equals("clip_text_encode")) {
      ClipTextEncoder clip = ClipTextEncoder.load(c.weightsPath(), device, precision.weightType());
      return new PreparedCase() {
        @Override
        public Map<String, NDArray> run(NDManager scratch) {
          NDArray ids = c.input("input_ids", scratch).toDevice(device, false);
          NDArray mask = c.input("attention_mask", scratch).toDevice(device, false);
          ClipTextEncoder.Output o = clip.encode(ids, mask, null);
          Map<String, NDArray> out = new LinkedHashMap<>();
          out.put("last_hidden_state", o.lastHiddenState());
          out.put("pooler_output", o.pooled());
          return out;
        }

        @Override
        public void close() {
          clip.close();
        }
      };
    }
    Qwen25VlTextEncoder qwen = Qwen25VlTextEncoder.load(c.weightsPath(), device, precision.weightType(), false);
    boolean embed = c.kind().equals("qwen_text_embed");
    int cropStart = c.config().has("crop_start") ? c.config().get("crop_start").asInt()
        : embed ? QwenPromptTokenizer.Content.parse(c.config().get("type_of_content").asText()).cropStart() : 0;
    // transformers' hidden_states tuple index (-1 = after the final norm, Kandinsky's choice)
    int hiddenIndex = c.config().path("hidden_state_index").asInt(-1);
    return new PreparedCase() {
      @Override
      public Map<String, NDArray> run(NDManager scratch) {
        NDArray ids = c.input("input_ids", scratch).toDevice(device, false);
        NDArray hidden;
        if (hiddenIndex == -1) {
          hidden = qwen.encode(ids);
        } else {
          List<NDArray> states = new ArrayList<>();
          qwen.forward(ids, null, states);
          hidden = states.get(hiddenIndex < 0 ? states.size() + hiddenIndex : hiddenIndex);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        if (embed) {
          long[] mask = c.input("attention_mask", scratch).toType(DataType.INT64, false).toLongArray();
          PackedEmbeddings p = PackedEmbeddings.cropAndPack(hidden, mask, cropStart);
          out.put("text_embeds", p.embeds());
          out.put("cu_seqlens", scratch.create(p.cuSeqlens()));
        } else {
          out.put("hidden_states_last", hidden);
        }
        return out;
      }

      @Override
      public void close() {
        qwen.close();
      }
    };
  }
}
