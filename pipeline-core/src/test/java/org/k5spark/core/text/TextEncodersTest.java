package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;

/** The facade on the tiny encoders: shapes, crop, truncation, batch == one by one, release/reload. */
class TextEncodersTest {
  @TempDir static Path root;
  static TextEncoders enc;
  static final String LONG = String.join(" ", java.util.Collections.nCopies(400, "a red fox on the moon"));
  static final String RU = "Стильная женщина идет по токийской улице 🚀";

  @BeforeAll
  static void setUp() throws Exception {
    TinyTextEncoders.write(root, 7);
    enc = TextEncoders.open(TextEncoders.Settings.of(root.resolve("text_encoder"), root.resolve("text_encoder2"),
        Device.cpu()));
  }

  @AfterAll
  static void tearDown() {
    enc.close();
  }

  @Test
  void shapesAndCrop() {
    TextEmbeddings e = enc.encode("a cat", QwenPromptTokenizer.Content.VIDEO);
    assertEquals(3, e.qwenLength()); // "a", " cat", <|im_end|>
    assertEquals(64, e.qwenHidden());
    assertEquals(32, e.clipHidden());
    assertEquals(3, e.textRopeLength());
    assertEquals(4, e.clipTokens());
    assertFalse(e.truncated());
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      assertEquals(new ai.djl.ndarray.types.Shape(3, 64), e.qwenEmbeds(m).getShape());
      assertEquals(new ai.djl.ndarray.types.Shape(1, 32), e.pooledEmbed(m).getShape());
    }
    TextEmbeddings img = enc.encode("a cat", QwenPromptTokenizer.Content.IMAGE);
    assertEquals(3, img.qwenLength());
    assertNotEquals(e.qwen()[0], img.qwen()[0]); // different system prompt before the crop
    assertArrayEquals(e.pooled(), img.pooled()); // CLIP sees the bare prompt
  }

  @Test
  void longPromptIsTruncatedAndFlagged() {
    TextEmbeddings e = enc.encode(LONG, QwenPromptTokenizer.Content.VIDEO);
    assertEquals(256, e.qwenLength());
    assertEquals(77, e.clipTokens());
    assertTrue(e.qwenTruncated());
    assertTrue(e.clipTruncated());
  }

  @Test
  void batchEqualsOneByOne() {
    List<String> prompts = List.of("a cat", LONG, RU, "");
    List<TextEmbeddings> batch = enc.encode(prompts, QwenPromptTokenizer.Content.VIDEO);
    double worst = 0;
    for (int i = 0; i < prompts.size(); i++) {
      TextEmbeddings one = enc.encode(prompts.get(i), QwenPromptTokenizer.Content.VIDEO);
      TextEmbeddings b = batch.get(i);
      assertEquals(one.qwenLength(), b.qwenLength());
      assertEquals(one.truncated(), b.truncated());
      worst = Math.max(worst, maxAbs(one.qwen(), b.qwen()));
      worst = Math.max(worst, maxAbs(one.pooled(), b.pooled()));
    }
    System.out.println("batch vs one-by-one max_abs=" + worst);
    assertTrue(worst <= 1e-5, "batch vs one-by-one differs by " + worst);
  }

  @Test
  void releaseAndToCpuThenEncodeAgainGiveTheSameResult() {
    TextEmbeddings a = enc.encode("a dog", QwenPromptTokenizer.Content.VIDEO);
    enc.toCpu();
    TextEmbeddings b = enc.encode("a dog", QwenPromptTokenizer.Content.VIDEO);
    enc.release();
    TextEmbeddings c = enc.encode("a dog", QwenPromptTokenizer.Content.VIDEO);
    assertArrayEquals(a.qwen(), b.qwen());
    assertArrayEquals(a.qwen(), c.qwen());
    assertArrayEquals(a.pooled(), c.pooled());
  }

  static double maxAbs(float[] x, float[] y) {
    assertEquals(x.length, y.length);
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
    }
    return m;
  }
}
