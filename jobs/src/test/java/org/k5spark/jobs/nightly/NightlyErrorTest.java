package org.k5spark.jobs.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.jobs.testing.SharedSpark;
import picocli.CommandLine;

/** A night that cannot run still leaves an error verdict and a history row, and exits 4; bad settings exit 2. */
class NightlyErrorTest {
  @TempDir Path tmp;

  @Test
  void aMissingCandidateIsAnErrorVerdictWithExitCode4() throws Exception {
    SharedSpark.get();
    Path home = tmp.resolve("home");
    int rc = new CommandLine(new NightlyCommand()).execute("--home", home.toString(), "--night-id", "bad",
        "--candidate", tmp.resolve("no-such-checkpoint").toString(), "--baseline-run", tmp.resolve("run").toString(),
        "--prompts", tmp.resolve("p.csv").toString());
    assertEquals(org.k5spark.core.cli.ExitCode.ABORTED, rc);
    Verdict v = Verdict.fromJson(Files.readAllBytes(home.resolve("nights").resolve("bad").resolve("verdict.json")));
    assertEquals(Verdict.ERROR, v.status());
    assertTrue(v.reason().contains("no-such-checkpoint"), v.reason());
    List<History.Row> h = History.read(new org.apache.hadoop.fs.Path(home.resolve("history.csv").toUri()),
        new Configuration());
    assertEquals(1, h.size());
    assertEquals(Verdict.ERROR, h.get(0).status());
    // an error night is never "the last judged one": the next night with any checkpoint runs
    assertEquals(null, History.lastJudged(h));
  }

  @Test
  void missingRequiredSettingsAreAUsageErrorWithExitCode2() {
    assertEquals(2, new CommandLine(new NightlyCommand()).execute("--home", tmp.toString(), "--candidate", "x"));
  }

  @Test
  void aMisspeltNightlyConfigKeyIsOneLineWithExitCode2() throws Exception {
    Path yaml = Files.writeString(tmp.resolve("nightly.yaml"), "max-dorp:\n  temporal_flickering: 0.01\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    int rc;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      rc = new CommandLine(new NightlyCommand()).execute("--config", yaml.toString(), "--candidate", "x");
    } finally {
      System.setErr(old);
    }
    assertEquals(2, rc);
    assertEquals("k5 nightly: " + yaml + ": unknown key 'max-dorp' (did you mean 'max-drop'?)\n",
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }
}
