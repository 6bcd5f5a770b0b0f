package org.k5spark.core.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.k5spark.core.cli.ParityCommand;
import org.k5spark.core.golden.CaseKinds;
import org.k5spark.core.golden.GoldenCase;

/** The three public VAE golden cases (copied into test resources) pass through the registered CaseKind. */
class VaeGoldenTest {
  static Path caseDir(String name) throws URISyntaxException {
    return Path.of(VaeGoldenTest.class.getResource("/golden/vae/" + name + "/case.json").toURI()).getParent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"decode_small", "decode_tiled_temporal", "decode_tiled_spatial"})
  void goldenCasePasses(String name) throws Exception {
    Path dir = caseDir(name);
    try (GoldenCase c = GoldenCase.open(dir)) {
      assertTrue(CaseKinds.find(c.kind()) instanceof VaeCaseKind, "VaeCaseKind registered for " + c.kind());
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ParityCommand.run(dir, 0, "cpu", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("video ") && l.contains(" ok ")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("video_uint8 ") && l.contains(" ok ")), out);
    if (!name.equals("decode_small")) {
      assertTrue(out.lines().anyMatch(l -> l.startsWith("video_untiled ") && l.contains(" ok ")), out);
    }
    assertTrue(out.lines().reduce((a, b) -> b).orElse("").startsWith("PASS"), out);
  }

  /** The plan we apply equals the tiling attributes the reference had after its decode. */
  @ParameterizedTest
  @ValueSource(strings = {"decode_small", "decode_tiled_temporal", "decode_tiled_spatial"})
  void tilingStateMatchesTheReference(String name) throws Exception {
    try (GoldenCase c = GoldenCase.open(caseDir(name))) {
      VaeTiling t = VaeCaseKind.tiling(c);
      var shape = c.config().get("latent_shape");
      TilingPlan plan = t.mode() == VaeTiling.Mode.FORCED ? t.override()
          : TilingPlan.optimal(shape.get(0).asLong(), shape.get(1).asLong(), shape.get(2).asLong());
      var state = c.config().get("tiling_state_after_decode");
      assertEquals(state.get("tile_sample_min_num_frames").asInt(), plan.minFrames());
      assertEquals(state.get("tile_sample_stride_num_frames").asInt(), plan.strideFrames());
      assertEquals(state.get("tile_sample_min_height").asInt(), plan.tileHeight());
      assertEquals(state.get("tile_sample_min_width").asInt(), plan.tileWidth());
      assertEquals(state.get("tile_sample_stride_height").asInt(), plan.strideHeight());
      assertEquals(state.get("tile_sample_stride_width").asInt(), plan.strideWidth());
      int[] tile = plan.tile();
      for (int i = 0; i < 4; i++) {
        assertEquals(state.get("tile_size").get(i).asInt(), tile[i]);
      }
    }
  }
}
