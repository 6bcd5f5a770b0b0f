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

  static final String YAML = """
      model:
        text_embedder:
          qwen:
            emb_size: 64
            checkpoint_path: "./weights/text_encoder/"
            max_length: 256
          clip:
            checkpoint_path: "./weights/text_encoder2/"
            emb_size: 32
            max_length: 77
      """;

  @Test
  void printsShapesChecksumsAndTruncation() throws Exception {
    TinyTextEncoders.write(tmp.resolve("w"), 11);
    Path yaml = Files.writeString(tmp.resolve("m.yaml"), YAML);
    EncodeCommand cmd = new EncodeCommand();
    cmd.model = yaml;
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
    TinyTextEncoders.write(tmp.resolve("w"), 11);
    EncodeCommand cmd = new EncodeCommand();
    cmd.model = Files.writeString(tmp.resolve("m.yaml"), YAML);
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
    Path yaml = Files.writeString(tmp.resolve("m.yaml"), YAML);
    var e = assertThrows(IllegalArgumentException.class, () -> EncodeCommand.readConfig(yaml, tmp));
    assertTrue(e.getMessage().contains("./weights/text_encoder/"), e.getMessage());
  }
}
