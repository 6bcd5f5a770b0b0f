package org.k5spark.core.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.k5spark.core.cli.ParityCommand;
import org.k5spark.core.golden.CaseKinds;

/** The kinds are registered for `k5 parity`, which prints PASS and a timing for every DiT case. */
class ParityRegistrationTest {
  @ParameterizedTest
  @ValueSource(strings = {"dense_small", "dense_small_bf16", "nabla_small", "sampler_cfg", "sampler_nocfg"})
  void parityCommandPasses(String name) {
    assertInstanceOf(DitCaseKind.class, CaseKinds.find("dit_forward"));
    assertInstanceOf(DitCaseKind.class, CaseKinds.find("sampler"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ParityCommand.run(GoldenCases.dir(name), 2, "cpu", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, out);
    assertTrue(out.contains("ms_per_call=") && out.lines().reduce((a, b) -> b).orElse("").startsWith("PASS"), out);
  }
}
