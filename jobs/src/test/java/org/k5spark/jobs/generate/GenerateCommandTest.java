package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.jobs.testing.SharedSpark;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class GenerateCommandTest {
  @TempDir Path tmp;

  @Test
  void helpDocumentsEveryOption() {
    CommandLine cl = new CommandLine(new GenerateCommand());
    StringWriter sw = new StringWriter();
    cl.usage(new PrintWriter(sw));
    String help = sw.toString();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      assertTrue(help.contains(o.longestName()), o.longestName());
      assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), o.longestName() + " has no description");
    }
    assertTrue(help.contains("Kandinsky5PipelineFactory"), help);
  }

  @Test
  void jobYamlSetsDefaultsAndTheCommandLineWins() throws Exception {
    Path yaml = tmp.resolve("job.yaml");
    Files.writeString(yaml, "steps: 7\nbase-seed: 5\nuse-expanded: true\nmax-failed-fraction: 0.5\nretry-with-tiling: false\n");
    GenerateCommand cmd = new GenerateCommand();
    CommandLine cl = new CommandLine(cmd);
    cl.parseArgs("--prompts", "a.csv,b.csv", "--out", "o", "--run-id", "r", "--model", "m.yaml", "--base-seed", "9",
        "--job-config", yaml.toString(), "--sample", "4", "--by", "motion_level");
    GenerateConfig cfg = cmd.withJobDefaults().toConfig();
    assertEquals(List.of("a.csv", "b.csv"), cfg.prompts());
    assertEquals(7, cfg.sampling().steps());
    assertEquals(9, cfg.readerOptions().baseSeed());
    assertTrue(cfg.readerOptions().useExpanded());
    assertFalse(cfg.retryWithTiling());
    assertEquals(0.5, cfg.maxFailedFraction());
    assertEquals(new PromptSelection(null, null, 4, "motion_level", 0), cfg.selection());

    // the shipped defaults (configs/jobs/generate.yaml, on the classpath as k5/jobs/generate.yaml)
    GenerateCommand plain = new GenerateCommand();
    new CommandLine(plain).parseArgs("--prompts", "a.csv", "--out", "o", "--run-id", "r", "--model", "m.yaml");
    GenerateConfig d = plain.withJobDefaults().toConfig();
    assertEquals(GenerateConfig.DEFAULT_FACTORY, d.factoryClass());
    assertEquals(0.05, d.maxFailedFraction());
    assertEquals(5000, d.progressIntervalMs());
  }

  @Test
  void unknownYamlKeyIsAUsageErrorNamingFileKeyAndNearestOption() throws Exception {
    Path yaml = tmp.resolve("bad.yaml");
    Files.writeString(yaml, "steps: 7\nstepz: 7\n");
    assertEquals(new Rc(2, "generate: " + yaml + ": unknown key 'stepz' (did you mean 'steps'?)\n"),
        execute("--prompts", "a.csv", "--out", "o", "--run-id", "r", "--model", "m", "--job-config", yaml.toString()));
    Files.writeString(yaml, "max-failed-fractoin: 0.5\n");
    assertEquals(new Rc(2, "generate: " + yaml + ": unknown key 'max-failed-fractoin' (did you mean"
        + " 'max-failed-fraction'?)\n"),
        execute("--prompts", "a.csv", "--out", "o", "--run-id", "r", "--model", "m", "--job-config", yaml.toString()));
    // the file cannot name another file
    Files.writeString(yaml, "job-config: other.yaml\n");
    assertEquals(2, execute("--prompts", "a.csv", "--out", "o", "--run-id", "r", "--model", "m", "--job-config",
        yaml.toString()).rc());
  }

  @Test
  void badYamlValuesNameTheFileTheKeyAndTheValue() throws Exception {
    Path yaml = tmp.resolve("typed.yaml");
    String[] args = {"--prompts", "a.csv", "--out", "o", "--run-id", "r", "--model", "m", "--job-config", yaml.toString()};
    Files.writeString(yaml, "steps: seven\n");
    assertEquals(new Rc(2, "generate: " + yaml + ": key 'steps' must be an integer, got 'seven'\n"), execute(args));
    Files.writeString(yaml, "max-failed-fraction: lots\n");
    assertEquals(new Rc(2, "generate: " + yaml + ": key 'max-failed-fraction' must be a number, got 'lots'\n"),
        execute(args));
    Files.writeString(yaml, "retry-with-tiling: maybe\n");
    assertEquals(new Rc(2, "generate: " + yaml + ": key 'retry-with-tiling' must be true or false, got 'maybe'\n"),
        execute(args));
    Files.writeString(yaml, "steps: [4, 8]\n");
    assertEquals(new Rc(2, "generate: " + yaml + ": key 'steps' takes one value, got [4, 8]\n"), execute(args));
    Files.writeString(yaml, "- steps\n");
    assertEquals(new Rc(2, "generate: " + yaml + ": expected a mapping of option names to values, got '[steps]'\n"),
        execute(args));
    Path missing = tmp.resolve("none.yaml");
    assertEquals(new Rc(2, "generate: " + missing + ": no such file\n"), execute("--prompts", "a.csv", "--out", "o",
        "--run-id", "r", "--model", "m", "--job-config", missing.toString()));
  }

  /** The {@code k5} launcher's exit code and stderr for a job YAML with a misspelt key. */
  @Test
  void k5GenerateWithABadJobConfigExitsTwoWithOneLine() throws Exception {
    Path yaml = tmp.resolve("bad.yaml");
    Files.writeString(yaml, "guidence: 9\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    int rc;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      rc = new CommandLine(new org.k5spark.jobs.cli.K5()).execute("generate", "--prompts", "a.csv", "--out", "o",
          "--run-id", "r", "--model", "tiny", "--job-config", yaml.toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(2, rc);
    assertEquals("generate: " + yaml + ": unknown key 'guidence' (did you mean 'guidance'?)\n",
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void k5HelpListsTheCommandsInWorkflowOrderAndTheExitCodeTable() {
    java.io.StringWriter out = new java.io.StringWriter();
    CommandLine k5 = new CommandLine(new org.k5spark.jobs.cli.K5()).setOut(new java.io.PrintWriter(out));
    assertEquals(0, k5.execute("--help"));
    List<String> listed = out.toString().lines().filter(l -> l.matches("  [a-z][a-z0-9-]+ .*"))
        .map(l -> l.strip().split("\\s+")[0]).toList();
    assertEquals(List.of("generate", "evaluate", "compare", "report", "sbs", "fidelity", "nightly", "metrics",
        "magcache-calibrate", "plan", "encode", "parity", "doctor", "tiny-checkpoint"), listed);
    String flat = out.toString().replaceAll("\\s+", " ");
    assertTrue(flat.contains("Exit codes: 0 done; 1 refused before any work (weights, model config, prompts or output"
        + " unusable); 2 usage (bad options or job config, an argument of the wrong kind, a device or library this"
        + " host lacks); 3 too many failed items (or a gate failed: a nightly regression); 4 aborted"), flat);
  }

  @Test
  void exitCodeFollowsTheFailedFractionThreshold() throws Exception {
    SharedSpark.get();
    Path model = tmp.resolve("m.properties");
    Files.writeString(model, Files.readString(JobFixtures.resource("fake-model.properties")) + "fail=explode\n");
    Path csv = tmp.resolve("p.csv");
    Files.writeString(csv, "prompt\nA cat\nA dog\nA cow\nThe star will explode\n");
    String[] base = {"--prompts", csv.toString(), "--out", tmp.resolve("out").toString(), "--model", model.toString(),
        "--factory", JobFixtures.FAKE_FACTORY, "--progress-interval-ms", "200", "--retry-with-tiling", "false"};
    int strict = new CommandLine(new GenerateCommand()).execute(concat(base, "--run-id", "strict"));
    assertEquals(org.k5spark.core.cli.ExitCode.TOO_MANY_FAILED, strict);
    int lenient = new CommandLine(new GenerateCommand()).execute(concat(base, "--run-id", "lenient",
        "--max-failed-fraction", "0.25"));
    assertEquals(0, lenient, "1 of 4 failed is not over 0.25");
    assertTrue(Files.exists(tmp.resolve("out/lenient/manifest.csv")));
    assertFalse(SharedSpark.get().sparkContext().isStopped(), "the command leaves a session it did not start running");
  }

  @Test
  void magcacheIsRecordedAndNeedsTheModelsRatios() throws Exception {
    GenerateCommand cmd = new GenerateCommand();
    new CommandLine(cmd).parseArgs("--prompts", "a.csv", "--out", "o", "--run-id", "r", "--model", "tiny", "--magcache");
    assertTrue(cmd.withJobDefaults().toConfig().sampling().magCache());

    SharedSpark.get();
    String tiny;
    try (var in = org.k5spark.core.config.ModelConfig.class.getResourceAsStream(
        org.k5spark.core.config.ModelConfig.EMBEDDED_DIR + "tiny.yaml")) {
      tiny = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Path bare = tmp.resolve("tiny-no-ratios.yaml");
    Files.writeString(bare, tiny.replaceAll("(?m)^magcache:\\n  mag_ratios: .*\\n", ""));
    Path csv = tmp.resolve("p.csv");
    Files.writeString(csv, "prompt\nA cat\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    int rc;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      rc = new CommandLine(new GenerateCommand()).execute("--prompts", csv.toString(), "--out",
          tmp.resolve("out").toString(), "--run-id", "mc", "--model", bare.toString(), "--magcache");
    } finally {
      System.setErr(old);
    }
    assertEquals(1, rc);
    String msg = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(msg.contains("--magcache") && msg.contains("mag_ratios") && msg.contains("tiny-no-ratios.yaml"), msg);
    assertFalse(Files.exists(tmp.resolve("out/mc/parts")), "nothing ran");
  }

  @Test
  void badPromptFilesAndAnUnwritableOutAreOneLineBeforeAnyStage() throws Exception {
    SharedSpark.get();
    Path model = tmp.resolve("m.properties");
    Files.copy(JobFixtures.resource("fake-model.properties"), model);
    Path out = tmp.resolve("out");
    Path header = Files.writeString(tmp.resolve("header.csv"), "prompt,concept\n");
    Path good = Files.writeString(tmp.resolve("good.csv"), "prompt\nA cat\n");
    Path utf16 = Files.write(tmp.resolve("excel.csv"), "prompt\nA cat\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    Path none = tmp.resolve("none.csv");
    String[] base = {"--out", out.toString(), "--model", model.toString(), "--factory", JobFixtures.FAKE_FACTORY,
        "--progress-interval-ms", "200"};

    Rc headerOnly = execute(concat(base, "--run-id", "h", "--prompts", good + "," + header));
    assertEquals(new Lines(1, List.of("generate: " + header + ": no prompt rows (header only); pass --allow-empty to run"
        + " with an empty prompt file")), headerOnly.k5Lines());
    assertFalse(Files.exists(out.resolve("h")), "nothing is written for a refused run");

    Rc allowed = execute(concat(base, "--run-id", "h", "--prompts", header.toString(), "--allow-empty"));
    assertEquals(new Lines(0, List.of("generate: warning: " + header + ": no prompt rows (header only)")),
        allowed.k5Lines());
    assertEquals(1, Files.readAllLines(out.resolve("h/manifest.csv")).size(), "header only: an empty manifest");

    assertEquals(new Lines(1, List.of("generate: " + none + ": no such prompt file")),
        execute(concat(base, "--run-id", "n", "--prompts", none.toString())).k5Lines());
    assertEquals(new Lines(1, List.of("generate: " + utf16 + ": not UTF-8 (looks like UTF-16LE): re-encode as UTF-8")),
        execute(concat(base, "--run-id", "u", "--prompts", utf16.toString())).k5Lines());

    // a regular file where the output root's parent should be: nobody (root included) can write under it
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Rc unwritable = execute("--prompts", good.toString(), "--out", file.resolve("out").toString(), "--run-id", "w",
        "--model", model.toString(), "--factory", JobFixtures.FAKE_FACTORY);
    Lines l = unwritable.k5Lines();
    assertEquals(1, l.rc());
    assertEquals(1, l.lines().size(), unwritable.err());
    // the out root is named as the job resolved it (file:/... once qualified), then why
    assertTrue(l.lines().get(0).matches("generate: (file:)?" + java.util.regex.Pattern.quote(file.resolve("out").toString())
        + ": output root is not writable \\(cannot commit into .*/out/w: .*Parent path is not a directory.*\\)"),
        unwritable.err());
    for (Rc r : List.of(headerOnly, allowed, unwritable)) {
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }

  record Rc(int rc, String err) {
    /** Only the command's own lines (Spark's log may share stderr). */
    Lines k5Lines() {
      return new Lines(rc, err.lines().filter(l -> l.startsWith("generate: ")).toList());
    }
  }

  record Lines(int rc, List<String> lines) {}

  /** Runs {@code k5 generate ARGS}, capturing what the command prints on System.err. */
  static Rc execute(String... args) {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      int rc = new CommandLine(new GenerateCommand()).execute(args);
      return new Rc(rc, err.toString(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
