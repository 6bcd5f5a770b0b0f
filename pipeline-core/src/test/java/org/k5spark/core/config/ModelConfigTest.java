package org.k5spark.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
  private static final Path CONFIGS = Path.of("..", "configs", "model");

  @Test
  void everyRepositoryConfigLoads() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CONFIGS)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertEquals(10, files.size(), "8 released variants + tiny + tiny_10s: " + files);
    for (Path f : files) {
      ModelConfig c = ModelConfig.load(f);
      String name = f.getFileName().toString().replace(".yaml", "");
      assertEquals(name, c.variant(), f.toString());
      assertEquals(24, c.fps());
      assertEquals(c.ditParams().modelDim() / c.ditParams().headDim(), c.ditParams().numHeads());
      // the embedded copy is the same file
      ModelConfig e = ModelConfig.embedded(name);
      assertEquals(c.ditParams(), e.ditParams());
      assertEquals(c.checkpointPath(), e.checkpointPath());
      assertArrayEquals(c.magRatios(), e.magRatios());
      assertEquals(c.resolutions(), e.resolutions());
    }
  }

  @Test
  void releasedValuesAreTheReferences() {
    ModelConfig sft = ModelConfig.load(CONFIGS.resolve("sft_5s.yaml"));
    assertEquals(50, sft.numSteps());
    assertEquals(5.0, sft.guidanceWeight());
    assertEquals(1792, sft.ditParams().modelDim());
    assertEquals(7168, sft.ditParams().ffDim());
    assertEquals(32, sft.ditParams().numVisualBlocks());
    assertEquals(28, sft.ditParams().numHeads());
    assertEquals("flash", sft.attention().type());
    assertEquals(ModelConfig.DEFAULT_SCHEDULER_SCALE, sft.metrics().schedulerScale());
    assertArrayEquals(new float[] {1f, 2f, 2f}, sft.metrics().scaleFactor());
    assertEquals(98, sft.magRatios().length);
    assertEquals(0.91607, sft.magRatios()[0]);
    assertEquals(5.0, sft.defaultSeconds());
    ModelConfig distil = ModelConfig.load(CONFIGS.resolve("distil_10s.yaml"));
    assertEquals(16, distil.numSteps());
    assertFalse(distil.guided());
    assertTrue(distil.attention().nabla());
    assertEquals(0.9, distil.attention().p());
    assertEquals(11, distil.attention().wT());
    assertEquals(3, distil.attention().wH());
    assertEquals(5.0, distil.metrics().schedulerScale());
    assertEquals(0, distil.magRatios().length);
    assertEquals("./weights/model/kandinsky5lite_t2v_distilled16steps_10s.safetensors", distil.checkpointPath());
    assertEquals(3584, distil.textEmbedder().qwen().embSize());
    assertEquals(77, distil.textEmbedder().clip().maxLength());
  }

  @Test
  void tinyIsTheRealArchitectureWithTinyDims() {
    ModelConfig t = ModelConfig.embedded("tiny");
    assertEquals(128, t.ditParams().modelDim());
    assertEquals(64, t.ditParams().inTextDim());
    assertEquals(32, t.ditParams().inTextDim2());
    assertTrue(t.ditParams().visualCond());
    assertEquals(Path.of("/w/model/kandinsky5lite_t2v_tiny.safetensors"), t.checkpoint(Path.of("/w")));
    t.checkResolution(64, 96);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.checkResolution(512, 512));
    assertTrue(e.getMessage().contains("512x512") && e.getMessage().contains("64x96"), e.getMessage());
  }

  @Test
  void weightPathsResolveAgainstTheRoot() {
    assertEquals(Path.of("/r/vae"), ModelConfig.resolveWeight("./weights/vae/", Path.of("/r")));
    assertEquals(Path.of("weights/model/a.safetensors").normalize(),
        ModelConfig.resolveWeight("./weights/model/a.safetensors", null).normalize());
    assertEquals(Path.of("/abs/x"), ModelConfig.resolveWeight("/abs/x", Path.of("/r")));
  }

  @Test
  void badOrMissingFieldNamesFieldAndFile(@TempDir Path dir) throws IOException {
    String tiny = Files.readString(CONFIGS.resolve("tiny.yaml"));
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, tiny.replace("model_dim: 128", "model_dim: abc"));
    ConfigException e = assertThrows(ConfigException.class, () -> ModelConfig.load(bad));
    assertTrue(e.getMessage().contains("model.dit_params.model_dim") && e.getMessage().contains(bad.toString()),
        e.getMessage());
    Files.writeString(bad, tiny.replace("  num_steps: 4\n", ""));
    e = assertThrows(ConfigException.class, () -> ModelConfig.load(bad));
    assertTrue(e.getMessage().contains("'model.num_steps' is missing") && e.getMessage().contains(bad.toString()),
        e.getMessage());
    Files.writeString(bad, tiny.replace("type: flash", "type: sparse"));
    e = assertThrows(ConfigException.class, () -> ModelConfig.load(bad));
    assertEquals(bad + ": field 'model.attention.type' must be 'flash' (dense) or 'nabla', got 'sparse'", e.getMessage());
    Files.writeString(bad, tiny.replace("model_dim: 128", "model_dim: 100"));
    e = assertThrows(ConfigException.class, () -> ModelConfig.load(bad));
    assertEquals(bad + ": field 'model.dit_params.model_dim' (100) must be a multiple of sum(axes_dims) = head_dim 64",
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> ModelConfig.load(dir.resolve("none.yaml")));
    assertEquals(dir.resolve("none.yaml") + ": model config file does not exist", e.getMessage());
  }
}
