package org.k5spark.eval.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.cli.ParityCommand;

/**
 * -Pslow: a case the port has never seen, generated now by VBench's own code (eval/tools/vbench-golden/gen_raft.py,
 * Debian /usr/bin/python3 with python3-torch): VBench-size 256x256 frames, VBench's 20 iterations, another seed,
 * weights written as a raft-things-style safetensors file (module. prefix) instead of the recipe.
 */
@Tag("slow")
class RaftFreshCaseParityTest {
  @TempDir
  Path tmp;

  @Test
  void freshVbenchSizeCaseWithWeightsFilePasses() throws Exception {
    Path out = tmp.resolve("raft-256");
    List<String> cmd = List.of("/usr/bin/python3", "tools/vbench-golden/gen_raft.py", out.toString(), "--height", "256",
        "--width", "256", "--frames", "7", "--fps", "24", "--iters", "20", "--seed", "11", "--gain", "0.4",
        "--speed", "5", "--write-weights");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("gen.log").toFile()).start();
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), "generator timed out");
    assertEquals(0, p.exitValue(), "generator failed (needs /usr/bin/python3 with torch): " + Files.readString(tmp.resolve("gen.log")));
    assertTrue(Files.isRegularFile(out.resolve("weights.safetensors")));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ParityCommand.run(out, 0, "cpu", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String report = buf.toString(StandardCharsets.UTF_8);
    System.out.print(report);
    assertEquals(0, rc, report);
    assertTrue(report.lines().reduce((a, b) -> b).orElse("").startsWith("PASS "), report);
  }
}
