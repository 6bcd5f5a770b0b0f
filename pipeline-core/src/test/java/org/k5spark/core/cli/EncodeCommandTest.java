package org.k5spark.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.text.QwenPromptTokenizer;
import org.k5spark.core.text.TextEmbeddings;
import org.k5spark.core.text.TextEncoders;
import org.k5spark.core.text.TinyTextEncoders;

class EncodeCommandTest {
  @TempDir Path tmp;

  @Test
  void printsShapesChecksumsAndTruncation() throws Exception {
    // the embedded tiny model needs no set-up: its checkpoint is written on first use
    EncodeCommand cmd = new EncodeCommand();
    cmd.model = "tiny";
    cmd.weightsRoot = tmp.resolve("w");
    cmd.content = "video";
    cmd.device = "cpu";
    cmd.prompts = List.of("a cat", String.join(" ", Collections.nCopies(300, "a cat")));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertEquals(0, cmd.run(new PrintStream(buf, true, StandardCharsets.UTF_8)));
    String out = buf.toString(StandardCharsets.UTF_8);
    // the checksums must be those of the encoders' actual output (TextGoldenTest checks the encoders against
    // the reference), summed and hashed here independently of EncodeCommand.checksum
    List<TextEmbeddings> direct = encodeDirectly(cmd, false, cmd.prompts);
    assertTrue(out.contains("  text_embeds   (3, 64) " + checksum(direct.get(0).qwen()) + "\n"), out);
    assertTrue(out.contains("  pooled_embed  (1, 32) " + checksum(direct.get(0).pooled()) + "\n"), out);
    assertTrue(out.contains("  text_embeds   (256, 64) " + checksum(direct.get(1).qwen()) + "\n"), out);
    assertTrue(out.contains("  pooled_embed  (1, 32) " + checksum(direct.get(1).pooled()) + "\n"), out);
    assertTrue(out.contains("cu_seqlens    [0, 3]  text_rope_pos 3"), out);
    assertTrue(out.contains("text_embeds   (256, 64)"), out);
    assertTrue(out.contains("truncated     false (qwen false, clip false)"), out);
    assertTrue(out.contains("truncated     true (qwen true, clip true)"), out);
  }

  @Test
  void expandThenEncode() throws Exception {
    EncodeCommand cmd = new EncodeCommand();
    cmd.model = "tiny";
    cmd.weightsRoot = tmp.resolve("w");
    cmd.content = "image";
    cmd.device = "cpu";
    cmd.expand = true;
    cmd.maxNewTokens = 4;
    cmd.prompts = List.of("a cat");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertEquals(0, cmd.run(new PrintStream(buf, true, StandardCharsets.UTF_8)));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("(after cropping 41 template tokens)"), out);
    // the printed prompt is the expander's rewrite (4 new tokens from the tiny LM), not the input
    String expanded;
    try (TextEncoders enc = TextEncoders.open(settings(cmd, true))) {
      expanded = enc.expander(4).expand("a cat");
    }
    assertTrue(!expanded.equals("a cat"), expanded);
    String shown = expanded.replace('\n', ' ');
    shown = shown.length() <= 80 ? shown : shown.substring(0, 77) + "...";
    assertTrue(out.startsWith("prompt 0: " + shown + "\n"), out);
  }

  private static TextEncoders.Settings settings(EncodeCommand cmd, boolean expand) {
    EncodeCommand.TextConfig tc = EncodeCommand.readConfig(cmd.model, cmd.weightsRoot);
    return new TextEncoders.Settings(tc.qwenDir(), tc.qwenMaxLength(), tc.clipDir(), tc.clipMaxLength(),
        ai.djl.Device.cpu(), ai.djl.ndarray.types.DataType.FLOAT32, expand);
  }

  private static List<TextEmbeddings> encodeDirectly(EncodeCommand cmd, boolean expand, List<String> prompts) {
    try (TextEncoders enc = TextEncoders.open(settings(cmd, expand))) {
      return enc.encode(prompts, QwenPromptTokenizer.Content.parse(cmd.content));
    }
  }

  /** sum, L2 and CRC32 of the little-endian float32 bits, as the command's help text documents them. */
  private static String checksum(float[] v) {
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    double sq = 0;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    for (float f : v) {
      sum = sum.add(new java.math.BigDecimal(f));
      sq += (double) f * f;
      int bits = Float.floatToRawIntBits(f);
      crc.update(new byte[] {(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)});
    }
    return String.format(java.util.Locale.ROOT, "sum=%.6f l2=%.6f crc32=%08x", sum.doubleValue(), Math.sqrt(sq),
        crc.getValue());
  }

  @Test
  void missingCheckpointIsNamed() throws Exception {
    // a real variant never gets invented weights: the missing directory is named
    EncodeCommand cmd = new EncodeCommand();
    cmd.model = "sft_5s";
    cmd.weightsRoot = tmp;
    cmd.content = "video";
    cmd.device = "cpu";
    cmd.prompts = List.of("a cat");
    var e = assertThrows(RuntimeException.class, () -> cmd.run(new PrintStream(new ByteArrayOutputStream())));
    assertEquals("no tokenizer.json at " + tmp.resolve("text_encoder"), e.getMessage());
  }
}
