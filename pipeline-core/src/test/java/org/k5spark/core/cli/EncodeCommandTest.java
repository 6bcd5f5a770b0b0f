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
    System.out.println(out);
    assertTrue(out.contains("text_embeds   (3, 64) sum="), out);
    assertTrue(out.contains("pooled_embed  (1, 32) sum="), out);
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
    assertTrue(!out.contains("prompt 0: a cat\n"), out);
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
