package org.k5spark.jobs.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.jobs.generate.GenerateConfig;
import org.k5spark.jobs.generate.GenerateVideosJob;
import org.k5spark.jobs.generate.PromptReader;
import org.k5spark.jobs.generate.PromptSelection;
import org.k5spark.jobs.generate.Sampling;
import org.k5spark.jobs.testing.SharedSpark;
import picocli.CommandLine;

/**
 * The nightly on the real tiny Kandinsky 5 checkpoint (3 prompts x 9 frames) against a baseline run made
 * from it: an identical candidate passes (exit 0) and a second night with it is skipped; a candidate whose
 * DiT output layer was scaled to zero fails (exit 3) with the regression named in verdict.json and report.
 */
class NightlyRegressionTest {
  @TempDir static Path tmp;
  static Path weights;
  static Path baselineRun;
  static Path prompts;
  static final Path MODEL = Path.of("..", "configs", "model", "tiny.yaml").toAbsolutePath().normalize();

  @BeforeAll
  static void baseline() throws Exception {
    weights = tmp.resolve("weights");
    TinyCheckpoint.writeAll(weights);
    prompts = tmp.resolve("prompts.csv");
    Files.writeString(prompts, """
        prompt,concept,motion_level
        "a red fox runs through snow",animal,high
        "a quiet lake at dawn",scenery,low
        "a chef chops onions",human - activity,medium
        """);
    // the baseline: an ordinary generation run of the same prompts and seeds (as k5 generate makes it)
    PromptReader.Options d = PromptReader.Options.defaults();
    GenerateConfig g = new GenerateConfig(List.of(prompts.toString()), tmp.resolve("gen").toString(), "release-1",
        MODEL.toString(), weights.toString(), GenerateConfig.DEFAULT_FACTORY, GenerateConfig.DEFAULT_ENCODER,
        new PromptReader.Options(d.promptColumn(), d.expandedColumn(), d.useExpanded(), d.conceptColumn(),
            d.motionColumn(), d.maxChars(), 42), new PromptSelection(null, null, 3, "concept+motion_level", 0),
        new Sampling(null, null, 0.4, null, null, null, false), 0, 0.0, true, 1000);
    GenerateVideosJob.run(SharedSpark.get(), g);
    baselineRun = tmp.resolve("gen").resolve("release-1");
  }

  private static int nightly(Path home, String night, Path candidate) {
    SharedSpark.get();
    List<String> args = new ArrayList<>(List.of("--home", home.toString(), "--night-id", night,
        "--candidate", candidate.toString(), "--baseline-run", baselineRun.toString(), "--model", MODEL.toString(),
        "--prompts", prompts.toString(), "--sample", "3", "--base-seed", "42", "--seconds", "0.4",
        "--resamples", "500"));
    return new CommandLine(new NightlyCommand()).execute(args.toArray(String[]::new));
  }

  private static Verdict verdict(Path home, String night) throws Exception {
    return Verdict.fromJson(Files.readAllBytes(home.resolve("nights").resolve(night).resolve("verdict.json")));
  }

  @Test
  void identicalCheckpointPassesAndIsNotReRun() throws Exception {
    Path home = tmp.resolve("nightly-same");
    Path same = tmp.resolve("candidate-same");
    Checkpoints.copy(weights, same);

    assertEquals(0, nightly(home, "n1", same));
    Verdict v = verdict(home, "n1");
    assertEquals(Verdict.PASS, v.status(), v.toString());
    assertTrue(v.regressions().isEmpty());
    assertEquals(4, v.checks().size(), "mean drop + win rate for the 2 gated metrics of nightly.yaml");
    v.checks().forEach(c -> assertFalse(c.regressed(), c.detail()));
    String report = Files.readString(home.resolve("nights").resolve("n1").resolve("report.html"));
    assertTrue(report.contains("Nightly verdict"), "verdict section");
    assertTrue(report.contains("temporal_flickering trend"), "trend chart per gated metric");
    assertTrue(Files.readString(home.resolve("nights").resolve("n1").resolve("summary.md")).contains("**PASS**"));

    // the same checkpoint again: identical by digest, not re-run
    assertEquals(0, nightly(home, "n2", same));
    Verdict skipped = verdict(home, "n2");
    assertEquals(Verdict.SKIPPED, skipped.status());
    assertTrue(skipped.reason().contains("n1"), skipped.reason());
    List<History.Row> history = History.read(new org.apache.hadoop.fs.Path(home.resolve("history.csv").toUri()),
        new Configuration());
    assertEquals(List.of("pass", "pass", "skipped"), history.stream().map(History.Row::status).toList());
    assertEquals(3, SharedSpark.get().read().parquet(home.resolve("history.parquet").toString()).count());
  }

  @Test
  void perturbedCheckpointIsARegression() throws Exception {
    Path home = tmp.resolve("nightly-noisy");
    Path noisy = tmp.resolve("candidate-ablated");
    // the DiT's final projection scaled to 0: the sampler gets only its bias, denoising stops working and
    // the clips flicker more (measured on the tiny model: temporal_flickering and motion_smoothness drop by
    // ~0.003 on every prompt, well past their 0.001 tie margins, so the candidate loses every pair)
    Checkpoints.perturbed(weights, noisy, "out_layer.out_layer.weight", w -> 0.0);

    assertEquals(org.k5spark.core.cli.ExitCode.TOO_MANY_FAILED, nightly(home, "n1", noisy), "a regression exits 3");
    Verdict v = verdict(home, "n1");
    assertEquals(Verdict.REGRESSION, v.status(), v.toString());
    assertFalse(v.regressions().isEmpty());
    String named = v.regressions().get(0);
    assertTrue(named.startsWith("temporal_flickering") || named.startsWith("motion_smoothness"), named);
    String report = Files.readString(home.resolve("nights").resolve("n1").resolve("report.html"));
    assertTrue(report.contains("id=\"regressions\""), "regressions paragraph");
    assertTrue(report.contains(named.replace("(", "").split(" ")[0]), "regressed metric named in the report");
    assertTrue(Files.readString(home.resolve("nights").resolve("n1").resolve("summary.md")).contains(named));
  }
}
