package org.k5spark.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.eval.cli.CompareCommand;
import org.k5spark.eval.cli.ReportCommand;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.jobs.generate.GenerateConfig;
import org.k5spark.jobs.generate.GenerateVideosJob;
import org.k5spark.jobs.generate.PromptReader;
import org.k5spark.jobs.generate.PromptSelection;
import org.k5spark.jobs.generate.RunCard;
import org.k5spark.jobs.generate.Sampling;
import org.k5spark.jobs.testing.PatternTextToVideo;
import org.k5spark.jobs.testing.SharedSpark;
import picocli.CommandLine;

/**
 * The run card travels generate → run.json → evaluate → metrics.csv ({@code config.protocol.*}) → compare/report,
 * which refuse two runs made with different steps, naming the key, unless --allow-protocol-mismatch labels them.
 */
class ProtocolMismatchTest {
  @TempDir Path tmp;

  private Path run(String id, Integer steps) throws Exception {
    Path csv = tmp.resolve("prompts.csv");
    if (!Files.exists(csv)) {
      Files.writeString(csv, EvaluateVideosJobTest.PROMPTS);
    }
    Path model = Path.of(getClass().getResource("/fake-model.properties").toURI());
    GenerateConfig cfg = new GenerateConfig(List.of(csv.toString()), tmp.resolve("out").toString(), id,
        model.toString(), null, PatternTextToVideo.Factory.class.getName(), GenerateConfig.DEFAULT_ENCODER,
        PromptReader.Options.defaults(), PromptSelection.all(),
        new Sampling(null, null, null, steps, null, null, false, 2), 2, 0.5, false, 200);
    GenerateVideosJob.run(SharedSpark.get(), cfg);
    Path dir = tmp.resolve("out").resolve(id);
    EvaluateVideosJob.run(SharedSpark.get(), EvaluateConfig.of(dir.toString()));
    return dir.resolve("eval").resolve("metrics.csv");
  }

  @Test
  void differentStepsAreRefusedWithTheKeyNamed() throws Exception {
    Path a = run("a", 3);
    Path b = run("b", 5);
    Path a2 = run("a2", 3);

    JsonNode card = new ObjectMapper().readTree(tmp.resolve("out/a/run.json").toFile()).get("protocol");
    assertEquals(3, card.get("steps").asInt());
    assertEquals(2, card.get("samples_per_prompt").asInt());
    assertEquals(RunCard.SEED_RULE, card.get("seed_rule").asText());
    assertEquals(6, card.get("prompts.rows").asInt(), "5 prompts and one rejected row");
    assertEquals(5, card.get("prompts.distinct").asInt());
    assertEquals("csv", card.get("prompts.format").asText());
    assertEquals("none", card.get("prompts.expansion").asText());
    assertEquals("sha256:" + org.k5spark.jobs.spark.items.PayloadDigest.of(
        EvaluateVideosJobTest.PROMPTS.getBytes(StandardCharsets.UTF_8)), card.get("prompts.digest").asText());
    RunTable ta = MetricsCsv.read(a, null);
    assertEquals("3", ta.config().get("protocol.steps"), "the card is in the metrics table");
    assertEquals(10, ta.videos().size(), "5 prompts x 2 samples");

    String[] refused = run(new CommandLine(new CompareCommand()), "--run", "a=" + a, "--run", "b=" + b, "--out",
        tmp.resolve("cmp").toString());
    assertEquals(String.valueOf(ExitCode.USAGE), refused[0]);
    assertEquals("k5 compare: runs a, b were made under different protocols, differing in steps: steps (a=3, b=5)"
        + " (pass --allow-protocol-mismatch to compare them anyway, labelled as such)\n", refused[1]);
    assertTrue(!Files.exists(tmp.resolve("cmp/comparison.json")), "nothing written");

    String[] report = run(new CommandLine(new ReportCommand()), "--run", "a=" + a, "--run", "b=" + b, "--out",
        tmp.resolve("rep").toString());
    assertEquals(String.valueOf(ExitCode.USAGE), report[0]);
    assertTrue(report[1].startsWith("k5 report: runs a, b were made under different protocols, differing in steps:"),
        report[1]);

    String[] allowed = run(new CommandLine(new CompareCommand()), "--run", "a=" + a, "--run", "b=" + b, "--out",
        tmp.resolve("cmp").toString(), "--allow-protocol-mismatch");
    assertEquals("0", allowed[0], allowed[1]);
    assertTrue(Files.readString(tmp.resolve("cmp/summary.md"))
        .contains("**Protocol mismatch**: the runs differ in steps, not only in the checkpoint."));
    assertEquals("[\"steps\"]", new ObjectMapper().readTree(tmp.resolve("cmp/comparison.json").toFile())
        .get("protocol_mismatch").toString());

    String[] same = run(new CommandLine(new CompareCommand()), "--run", "a=" + a, "--run", "a2=" + a2, "--out",
        tmp.resolve("same").toString());
    assertEquals("0", same[0], same[1]);
    assertEquals("", same[1], "same protocol: no warning");
  }

  /** {exit code, stderr}. */
  private static String[] run(CommandLine cli, String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int code = cli.execute(args);
      return new String[] {String.valueOf(code), bytes.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }
}
