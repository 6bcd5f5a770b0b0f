package org.k5spark.jobs.nightly;

import org.k5spark.jobs.cli.JobDefaults;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.k5spark.jobs.spark.LocalSparkOptions;
import org.k5spark.jobs.generate.GenerateConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code k5 nightly}: one night of the checkpoint regression (see {@link NightlyRegression}). Defaults come
 * from configs/jobs/nightly.yaml (shipped in the jar as k5/jobs/nightly.yaml) or {@code --config}; the
 * command line wins. Exit codes ({@link org.k5spark.core.cli.ExitCode}): 0 pass (or skipped: same checkpoint as
 * last night), 2 bad options or config, 3 regression, 4 error.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Nightly checkpoint regression gate: a candidate checkpoint against the baseline.",
        "Generates a fixed prompt subset (stratified by",
        "concept x motion level; same prompts and seeds every night) with the candidate and",
        "the baseline, evaluate, compare, apply per-metric thresholds, write",
        "<home>/nights/<night>/{verdict.json,report.html,summary.md} and append",
        "<home>/history.csv (+ history.parquet).",
        "Exit codes: 0 pass, or skipped (checkpoint identical by digest to the last judged",
        "one); 2 bad options or config; 3 regression; 4 error (verdict.json says why)."})
public class NightlyCommand implements Callable<Integer> {
  static final String DEFAULTS_RESOURCE = "k5/jobs/nightly.yaml";

  @Spec CommandSpec spec;

  // --job-config, as k5 generate names its defaults file; --config is the older spelling, still accepted
  @Option(names = {"--job-config", "--config"}, description = "Nightly defaults YAML (keys = long option names)."
      + " Default: the shipped configs/jobs/nightly.yaml. (--config: the older name of this option.)")
  String config;

  @Option(names = "--home", description = "Nightly root (any Hadoop FS path): runs/, nights/, history.csv.")
  String home;

  @Option(names = "--night-id", description = "Name of this night (default: UTC yyyyMMdd-HHmmss).")
  String nightId;

  @Option(names = "--candidate", description = "Candidate checkpoint: a weights root (any Hadoop FS path, e.g. s3a://).")
  String candidate;

  @Option(names = "--baseline-run", description = "A previous generation run to compare with: a directory <out>/<run_id>, or a bare"
      + " run id under <home>/runs/.")
  String baselineRun;

  @Option(names = "--baseline-checkpoint", description = "Or: a baseline weights root, generated once (cached by digest).")
  String baselineCheckpoint;

  @Option(names = "--model", description = "Model config for both checkpoints: an embedded name (tiny) or a YAML path.")
  String model;

  @Option(names = "--factory", description = "TextToVideoFactory class. Default: ${DEFAULT-VALUE}")
  String factory = GenerateConfig.DEFAULT_FACTORY;

  @Option(names = "--prompts", split = ",", description = "Prompt CSV(s) the fixed subset is drawn from.")
  List<String> prompts;

  @Option(names = "--sample", description = "Prompts in the subset (stratified by concept x motion level). Default: ${DEFAULT-VALUE}")
  int sample = 32;

  @Option(names = "--base-seed", description = "Base seed of the per-prompt seeds. Default: ${DEFAULT-VALUE}")
  long baseSeed = 42;

  @Option(names = "--seconds", description = "Clip length (default: the model config's).")
  Double seconds;

  @Option(names = "--steps", description = "Denoising steps (default: the model config's).")
  Integer steps;

  @Option(names = "--max-drop", paramLabel = "METRIC=MARGIN",
      description = "Gated metric and the largest allowed drop of its mean vs the baseline (repeatable).")
  Map<String, Double> maxDrop = new LinkedHashMap<>();

  @Option(names = "--win-rate-gate", arity = "1", description = "Also fail a gated metric whose win-rate CI upper bound"
      + " is below 50%%. Default: ${DEFAULT-VALUE}")
  boolean winRateGate = true;

  @Option(names = "--resamples", description = "Bootstrap resamples. Default: ${DEFAULT-VALUE}")
  int resamples = 2000;

  @Option(names = "--weights-dir", description = "Weights of the model-based metrics (optional).")
  String weightsDir;

  @Option(names = "--device", description = "Device of the model-based metrics. Default: ${DEFAULT-VALUE}")
  String device = "cpu";

  @Option(names = "--partitions", description = "Spark partitions; 0 = 2 x default parallelism. Default: ${DEFAULT-VALUE}")
  int partitions;

  @Mixin LocalSparkOptions sparkOptions;

  private final boolean local;

  public NightlyCommand() {
    this(true);
  }

  NightlyCommand(boolean local) {
    this.local = local;
  }

  @Override
  public Integer call() throws Exception {
    NightlyCommand c;
    NightlyConfig cfg;
    try {
      c = withDefaults();
      cfg = c.toConfig();
    } catch (IllegalArgumentException | CommandLine.ParameterException e) { // one line, not the usage text
      System.err.println("k5 nightly: " + e.getMessage());
      return org.k5spark.core.cli.ExitCode.USAGE;
    }
    boolean ownSession = LocalSparkOptions.startsOwnSession(local);
    SparkSession spark = c.sparkOptions.session(local, "k5 nightly " + cfg.nightId());
    try {
      Verdict v = NightlyRegression.run(spark, cfg);
      System.out.printf("k5 nightly %s: %s%s%s%n", v.nightId(), v.status().toUpperCase(java.util.Locale.ROOT),
          v.regressions().isEmpty() ? "" : " " + v.regressions(), v.reason() == null ? "" : " (" + v.reason() + ")");
      System.out.println("verdict: " + cfg.night() + "/verdict.json" + (v.report() == null ? "" : "\nreport: " + v.report()));
      return v.exitCode();
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  NightlyConfig toConfig() {
    String night = nightId != null ? nightId
        : ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return new NightlyConfig(home, night, candidate, baselineRun, baselineCheckpoint, model, factory, prompts, sample,
        baseSeed, seconds, steps, maxDrop, winRateGate, resamples, weightsDir, device, partitions);
  }

  /** Re-parses the YAML-derived options followed by this command's own, so the command line wins. */
  NightlyCommand withDefaults() {
    return JobDefaults.apply(spec, config, DEFAULTS_RESOURCE, "--job-config", new NightlyCommand(local));
  }
}
