package org.k5spark.core.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.k5spark.core.engine.TorchRuntime;

/**
 * The reference's prompt "beautifier" (Kandinsky5T2VPipeline.expand_prompt): the Qwen2.5-VL instruct model
 * rewrites a short prompt into a detailed one. The instruction is sent as one user message through Qwen2.5-VL's
 * chat template (default system prompt, generation prompt appended); decoding is greedy with a KV cache and the
 * checkpoint's {@code generation_config.json} repetition penalty and end ids (the released config samples with
 * top_k=1, i.e. argmax after the penalty). Needs the encoder loaded with {@code lm_head}.
 */
public final class PromptExpander {
  /** The reference's instruction text, verbatim (its f-string indentation and typos included). */
  public static final String INSTRUCTION = ""
      + "You are a prompt beautifier that transforms short user video descriptions into rich, detailed"
      + " English prompts specifically optimized for video generation models.\n"
      + "        Here are some example descriptions from the dataset that the model was trained:\n"
      + "        1. \"In a dimly lit room with a cluttered background, papers are pinned to the wall and"
      + " various objects rest on a desk. Three men stand present: one wearing a red sweater, another in a"
      + " black sweater, and the third in a gray shirt. The man in the gray shirt speaks and makes hand"
      + " gestures, while the other two men look forward. The camera remains stationary, focusing on the"
      + " three men throughout the sequence. A gritty and realistic visual style prevails, marked by a"
      + " greenish tint that contributes to a moody atmosphere. Low lighting casts shadows, enhancing the"
      + " tense mood of the scene.\"\n"
      + "        2. \"In an office setting, a man sits at a desk wearing a gray sweater and seated in a black"
      + " office chair. A wooden cabinet with framed pictures stands beside him, alongside a small plant and"
      + " a lit desk lamp. Engaged in a conversation, he makes various hand gestures to emphasize his points."
      + " His hands move in different positions, indicating different ideas or points. The camera remains"
      + " stationary, focusing on the man throughout. Warm lighting creates a cozy atmosphere. The man"
      + " appears to be explaining something. The overall visual style is professional and polished, suitable"
      + " for a business or educational context.\"\n"
      + "        3. \"A person works on a wooden object resembling a sunburst pattern, holding it in their"
      + " left hand while using their right hand to insert a thin wire into the gaps between the wooden"
      + " pieces. The background features a natural outdoor setting with greenery and a tree trunk visible."
      + " The camera stays focused on the hands and the wooden object throughout, capturing the detailed"
      + " process of assembling the wooden structure. The person carefully threads the wire through the gaps,"
      + " ensuring the wooden pieces are securely fastened together. The scene unfolds with a naturalistic"
      + " and instructional style, emphasizing the craftsmanship and the methodical steps taken to complete"
      + " the task.\"\n"
      + "        IImportantly! These are just examples from a large training dataset of 200 million videos.\n"
      + "        Rewrite Prompt: \"{prompt}\" to get high-quality video generation. Answer only with expanded"
      + " prompt.";

  /** Decoding settings; {@link #read} takes them from the checkpoint's generation_config.json. */
  public record Settings(int maxNewTokens, double repetitionPenalty, long[] eosIds) {
    public static Settings read(Path qwenDir, int maxNewTokens) {
      Path gc = qwenDir.resolve("generation_config.json");
      double penalty = 1.0;
      long[] eos = {151645, 151643};
      if (Files.isRegularFile(gc)) {
        try {
          JsonNode n = new ObjectMapper().readTree(gc.toFile());
          penalty = n.path("repetition_penalty").asDouble(1.0);
          JsonNode e = n.path("eos_token_id");
          if (e.isArray()) {
            eos = new long[e.size()];
            for (int i = 0; i < eos.length; i++) {
              eos[i] = e.get(i).asLong();
            }
          } else if (e.isNumber()) {
            eos = new long[] {e.asLong()};
          }
        } catch (IOException ex) {
          throw new IllegalArgumentException("cannot read " + gc + ": " + ex.getMessage(), ex);
        }
      }
      return new Settings(maxNewTokens, penalty, eos);
    }
  }

  private final Qwen25VlTextEncoder model;
  private final TextTokenizer tokenizer;
  private final Settings settings;

  public PromptExpander(Qwen25VlTextEncoder model, TextTokenizer tokenizer, Settings settings) {
    if (!model.hasLmHead()) {
      throw new IllegalArgumentException("prompt expansion needs the Qwen model loaded with lm_head");
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.settings = settings;
  }

  /** Qwen2.5-VL's chat template for one user text message, with the generation prompt. */
  public static String chatText(String prompt) {
    return "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
        + INSTRUCTION.replace("{prompt}", prompt) + "<|im_end|>\n<|im_start|>assistant\n";
  }

  /** The expanded prompt (special tokens skipped, no space clean-up, as the reference decodes). */
  public String expand(String prompt) {
    long[] ids = tokenizer.ids(chatText(prompt), true);
    return tokenizer.decode(generate(ids), true);
  }

  /** Greedy continuation of {@code promptIds}: at most maxNewTokens ids, the end id included if reached. */
  public long[] generate(long[] promptIds) {
    Set<Long> eos = new HashSet<>();
    for (long e : settings.eosIds()) {
      eos.add(e);
    }
    List<Long> seen = new ArrayList<>();
    for (long id : promptIds) {
      seen.add(id);
    }
    long[] out = new long[settings.maxNewTokens()];
    int n = 0;
    try (NDManager m = TorchRuntime.newManager(model.device());
        KvCache cache = new KvCache(m, model.config().numLayers())) {
      long[] step = promptIds;
      while (n < settings.maxNewTokens()) {
        float[] logits;
        try (NDManager s = m.newSubManager()) {
          NDArray ids = s.create(step, new Shape(1, step.length));
          logits = model.lastLogits(model.forward(ids, cache, null)).toType(DataType.FLOAT32, false).toFloatArray();
        }
        long next = argmaxWithPenalty(logits, seen, settings.repetitionPenalty());
        out[n++] = next;
        seen.add(next);
        if (eos.contains(next)) {
          break;
        }
        step = new long[] {next};
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** transformers' RepetitionPenaltyLogitsProcessor (divide positive, multiply negative logits) then argmax. */
  static long argmaxWithPenalty(float[] logits, List<Long> seen, double penalty) {
    if (penalty != 1.0) {
      Set<Long> done = new HashSet<>();
      for (long id : seen) {
        if (done.add(id) && id < logits.length) {
          float v = logits[(int) id];
          logits[(int) id] = v < 0 ? (float) (v * penalty) : (float) (v / penalty);
        }
      }
    }
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
