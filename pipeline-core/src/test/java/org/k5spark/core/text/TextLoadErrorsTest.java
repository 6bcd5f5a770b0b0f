package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.weights.WeightFileException;

/** A config that does not match the checkpoint fails with the key and both shapes named. */
class TextLoadErrorsTest {
  @TempDir Path tmp;

  @Test
  void kvHeadMismatchNamesKeyAndShapes() throws Exception {
    Path src = TextGoldenTest.caseDir("qwen_embed_video").resolve("text_encoder");
    Path dir = Files.createDirectories(tmp.resolve("te"));
    Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    Files.writeString(dir.resolve("config.json"), Files.readString(src.resolve("config.json"))
        .replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4"));
    var e = assertThrows(WeightFileException.class,
        () -> Qwen25VlTextEncoder.load(dir, Device.cpu(), DataType.FLOAT32, false));
    assertTrue(e.getMessage().contains("model.layers.0.self_attn.k_proj.weight"), e.getMessage());
    assertTrue(e.getMessage().contains("[16, 32]") && e.getMessage().contains("[32, 32]"), e.getMessage());
  }

  @Test
  void missingConfigIsNamed() {
    var e = assertThrows(WeightFileException.class,
        () -> ClipTextEncoder.load(tmp, Device.cpu(), DataType.FLOAT32));
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }
}
