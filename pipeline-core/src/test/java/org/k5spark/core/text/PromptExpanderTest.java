package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;

class PromptExpanderTest {
  @TempDir Path root;

  @Test
  void chatTextIsTheReferenceTemplate() {
    String t = PromptExpander.chatText("a cat");
    assertTrue(t.startsWith("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
        + "You are a prompt beautifier"));
    assertTrue(t.contains("\n        IImportantly! These are just examples"));
    assertTrue(t.endsWith("Rewrite Prompt: \"a cat\" to get high-quality video generation. Answer only with expanded"
        + " prompt.<|im_end|>\n<|im_start|>assistant\n"));
  }

  /** text/beautify_instruction.json: the f-string body of the reference's expand_prompt, extracted verbatim. */
  @Test
  void instructionIsTheReferenceText() throws Exception {
    try (var in = PromptExpanderTest.class.getResourceAsStream("/text/beautify_instruction.json")) {
      String ref = new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, String.class);
      assertEquals(ref, PromptExpander.INSTRUCTION);
    }
  }

  @Test
  void penaltyDividesPositiveAndMultipliesNegativeLogits() {
    float[] l = {2.0f, -1.0f, 2.05f, 1.0f};
    assertEquals(2, PromptExpander.argmaxWithPenalty(l.clone(), List.of(), 1.05));
    assertEquals(0, PromptExpander.argmaxWithPenalty(l.clone(), List.of(2L), 1.05));
    float[] p = l.clone();
    PromptExpander.argmaxWithPenalty(p, List.of(1L, 1L), 2.0);
    assertEquals(-2.0f, p[1]);
  }

  /** Cached greedy decoding gives the same tokens as recomputing the whole sequence each step. */
  @Test
  void kvCacheDecodingEqualsFullRecompute() throws Exception {
    TinyTextEncoders.write(root, 5);
    Path q = root.resolve("text_encoder");
    try (Qwen25VlTextEncoder model = Qwen25VlTextEncoder.load(q, Device.cpu(), DataType.FLOAT32, true);
        TextTokenizer tok = TextTokenizer.load(q)) {
      PromptExpander.Settings s = PromptExpander.Settings.read(q, 6);
      assertEquals(1.05, s.repetitionPenalty());
      PromptExpander ex = new PromptExpander(model, tok, s);
      long[] prompt = tok.ids(PromptExpander.chatText("a cat"), true);
      long[] cached = ex.generate(prompt);
      List<Long> seq = new ArrayList<>();
      for (long id : prompt) {
        seq.add(id);
      }
      long[] full = new long[cached.length];
      for (int i = 0; i < cached.length; i++) {
        try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
          long[] ids = seq.stream().mapToLong(Long::longValue).toArray();
          float[] logits = model.lastLogits(model.encode(m.create(ids, new Shape(1, ids.length)))).toFloatArray();
          full[i] = PromptExpander.argmaxWithPenalty(logits, seq, s.repetitionPenalty());
          seq.add(full[i]);
        }
      }
      assertArrayEquals(full, cached);
      // hidden states with the cache (prefix, then one token at a time) equal the full causal pass
      try (NDManager m = TorchRuntime.newManager(Device.cpu()); KvCache cache = new KvCache(m, 2)) {
        long[] ids = seq.stream().mapToLong(Long::longValue).toArray();
        int n = ids.length;
        float[] ref = model.encode(m.create(ids, new Shape(1, n))).get(new ai.djl.ndarray.index.NDIndex(
            ":, {}:", n - 3)).toFloatArray();
        model.forward(m.create(java.util.Arrays.copyOf(ids, n - 3), new Shape(1, n - 3)), cache, null);
        List<Float> got = new ArrayList<>();
        for (int j = n - 3; j < n; j++) {
          for (float f : model.forward(m.create(new long[] {ids[j]}, new Shape(1, 1)), cache, null).toFloatArray()) {
            got.add(f);
          }
        }
        assertEquals(n, cache.length());
        double worst = 0;
        for (int j = 0; j < ref.length; j++) {
          worst = Math.max(worst, Math.abs(ref[j] - got.get(j)));
        }
        assertTrue(worst < 1e-5, "cached vs full hidden differ by " + worst);
      }
      assertTrue(cached.length >= 1);
      String text = ex.expand("a cat");
      assertEquals(tok.decode(cached, true), text);
    }
  }
}
