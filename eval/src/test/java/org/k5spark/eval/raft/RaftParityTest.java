package org.k5spark.eval.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.k5spark.core.cli.ParityCommand;

/**
 * Every committed VBench dynamic_degree golden case (upstream VBench RAFT code, eval/tools/vbench-golden) passes
 * through the generic {@code k5 parity} runner with the per-stage tolerances its case.json states.
 */
class RaftParityTest {
  static final Path CASES = Path.of("src/test/resources/vbench-golden");

  @ParameterizedTest
  @ValueSource(strings = {"raft-dynamic-128", "raft-static-124x132"})
  void committedCasePasses(String name) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ParityCommand.run(CASES.resolve(name), 0, "cpu", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    System.out.print(out);
    assertEquals(0, rc, out);
    assertTrue(out.lines().reduce((a, b) -> b).orElse("").startsWith("PASS "), out);
    assertTrue(out.contains("dynamic") && out.contains("flow_up_pairs") && out.contains("fmap1"), out);
  }
}
