package org.k5spark.core.text;

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

/** The three public text golden cases through the same runner as {@code k5 parity}. */
class TextGoldenTest {
  static Path caseDir(String name) throws URISyntaxException {
    return Path.of(TextGoldenTest.class.getResource("/golden/text/" + name + "/case.json").toURI()).getParent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen_encode_small", "qwen_embed_video", "clip_encode_small"})
  void goldenCasePasses(String name) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ParityCommand.run(caseDir(name), 0, "cpu", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String report = buf.toString(StandardCharsets.UTF_8);
    System.out.println(name + ":\n" + report);
    assertEquals(0, rc, report);
    assertTrue(report.contains("PASS"), report);
  }
}
