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
}
