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
    assertEquals(5.0, sft.metrics().schedulerScale(), "test.py's default, stated in sft_5s.yaml");
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
    assertEquals(bad + ": field 'model.dit_params.model_dim' must be an integer, got 'abc'", loadError(bad));
    Files.writeString(bad, tiny.replace("  num_steps: 4\n", ""));
    assertEquals(bad + ": field 'model.num_steps' is missing", loadError(bad));
    Files.writeString(bad, tiny.replace("type: flash", "type: sparse"));
    assertEquals(bad + ": field 'model.attention.type' must be 'flash' (dense) or 'nabla', got 'sparse'", loadError(bad));
    Files.writeString(bad, tiny.replace("model_dim: 128", "model_dim: 100"));
    assertEquals(bad + ": field 'model.dit_params.model_dim' (100) must be a multiple of sum(axes_dims) = head_dim 64",
        loadError(bad));
    Files.writeString(bad, tiny.replace("  vae:\n", "  vae: hunyuan\n  unused:\n"));
    assertEquals(bad + ": unknown key 'model.unused' (did you mean 'model.vae'?)", loadError(bad));
    Path none = dir.resolve("none.yaml");
    assertEquals(none + ": model config file does not exist", loadError(none));
  }

  @Test
  void unknownKeysAreErrorsNamingTheNearestKnownOne(@TempDir Path dir) throws IOException {
    String tiny = Files.readString(CONFIGS.resolve("tiny.yaml"));
    Path bad = dir.resolve("typo.yaml");
    Files.writeString(bad, tiny.replace("guidance_weight: 5.0", "guidance_weigth: 9"));
    assertEquals(bad + ": unknown key 'model.guidance_weigth' (did you mean 'model.guidance_weight'?)", loadError(bad));
    Files.writeString(bad, tiny.replace("    model_dim: 128", "    model_dim: 128\n    modeldim: 64"));
    assertEquals(bad + ": unknown key 'model.dit_params.modeldim' (did you mean 'model.dit_params.model_dim'?)",
        loadError(bad));
    Files.writeString(bad, tiny.replace("k5spark:\n", "k5sparc:\n"));
    assertEquals(bad + ": unknown key 'k5sparc' (did you mean 'k5spark'?)", loadError(bad));
    Files.writeString(bad, tiny.replace("      max_length: 77", "      max_lenght: 77"));
    assertEquals(bad + ": unknown key 'model.text_embedder.clip.max_lenght' (did you mean"
        + " 'model.text_embedder.clip.max_length'?)", loadError(bad));
    Files.writeString(bad, tiny.replace("  mag_ratios:", "  mag_ratio:"));
    assertEquals(bad + ": unknown key 'magcache.mag_ratio' (did you mean 'magcache.mag_ratios'?)", loadError(bad));
    // the reference's attention keys that no code reads are still known (every released YAML carries them)
    Files.writeString(bad, tiny.replace("    window: 3", "    windw: 3"));
    assertEquals(bad + ": unknown key 'model.attention.windw' (did you mean 'model.attention.window'?)", loadError(bad));
    // a section that is a scalar names the value it got
    Files.writeString(bad, tiny.replace("  vae:\n    checkpoint_path: \"./weights/vae/\"\n    name: \"hunyuan\"\n",
        "  vae: hunyuan\n"));
    assertEquals(bad + ": field 'model.vae' must be a mapping, got string 'hunyuan'", loadError(bad));
  }

  @Test
  void nearestKeyIsByEditDistance() {
    assertEquals(3, UnknownKeys.levenshtein("kitten", "sitting"));
    assertEquals(0, UnknownKeys.levenshtein("", ""));
    assertEquals(4, UnknownKeys.levenshtein("", "abcd"));
    assertEquals("steps", UnknownKeys.nearest("stepz", List.of("seconds", "steps", "sample")));
    assertEquals("f.yaml: unknown key 'x'", UnknownKeys.message("f.yaml", "x", List.of()));
  }

  private static String loadError(Path file) {
    return assertThrows(ConfigException.class, () -> ModelConfig.load(file)).getMessage();
  }
}
