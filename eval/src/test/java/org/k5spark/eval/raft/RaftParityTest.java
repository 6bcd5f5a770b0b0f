package org.k5spark.eval.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.k5spark.core.cli.ParityCommand;

/**
 * Every committed VBench dynamic_degree golden case (upstream VBench RAFT code, eval/tools/vbench-golden) passes
 * through the generic {@code k5 parity} runner with the per-stage tolerances its case.json states.
 */
class RaftParityTest {
  static final Path CASES = Path.of("src/test/resources/vbench-golden");

  @TempDir
  Path tmp;

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

  /** The same case with other weights (seed 2 instead of 7): the runner must report FAIL, stage by stage. */
  @Test
  void otherWeightsFail() throws Exception {
    Path src = CASES.resolve("raft-static-124x132");
    Path dir = Files.createDirectory(tmp.resolve("case"));
    Files.copy(src.resolve("golden.safetensors"), dir.resolve("golden.safetensors"));
    String json = Files.readString(src.resolve("case.json"));
    String seeded = json.replace("\"seed\": 7", "\"seed\": 2");
    assertTrue(!seeded.equals(json), "case.json has no seed 7");
    Files.writeString(dir.resolve("case.json"), seeded);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ParityCommand.run(dir, 0, "cpu", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(1, rc, out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("fmap1") && l.contains("FAIL")), out);
    assertTrue(out.lines().reduce((a, b) -> b).orElse("").startsWith("FAIL "), out);
  }
}
