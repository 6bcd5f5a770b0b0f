package org.k5spark.jobs.generate;

import org.k5spark.jobs.cli.JobDefaults;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.k5spark.jobs.spark.LocalSparkOptions;
import org.k5spark.core.cli.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code k5 generate}: the GenerateVideos job from the command line. Locally it starts Spark on
 * {@code local[*]}; under spark-submit ({@link GenerateVideosMain}) it uses the session spark-submit
 * configured. Defaults: built in, then configs/jobs/generate.yaml (or --job-config), then the command line.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate --samples-per-prompt videos per prompt of the given files with Spark (local[*] unless --master).",
        "Writes under <out>/<run-id>/: videos/<sample_id>.mp4, parts/<sample_id>.json (sample_id = <prompt_id> for",
        "sample 0, <prompt_id>-<k> for sample k),",
        "manifest.csv, manifest.parquet and run.json.",
        "Re-running the same command skips prompts already committed.",
        "Exit codes: 0 done; 1 refused before any work (also a header-only prompt CSV without --allow-empty);",
        "2 usage or a bad --job-config; 3 failed fraction over --max-failed-fraction; 4 the Spark stage aborted."},
    footer = {"", "Defaults come from configs/jobs/generate.yaml (keys = long option names) when present."})
public class GenerateCommand implements Callable<Integer> {
  static final String DEFAULTS_RESOURCE = "k5/jobs/generate.yaml";

  @Spec CommandSpec spec;

  @Option(names = "--prompts", required = true, split = ",", paramLabel = "FILE",
      description = "Prompt file(s), any Hadoop FS path (file, hdfs, s3a); comma-separated or repeated: a CSV"
          + " (MovieGen Bench or any file with --prompt-column), a VBench one-prompt-a-line *.txt or a VBench"
          + " *.json (VBench_full_info.json: dimension tags become concept labels).")
  List<String> prompts;

  @Option(names = "--out", required = true, description = "Output root (any Hadoop FS path).")
  String out;

  @Option(names = "--run-id", required = true, description = "Run name: the directory under --out; reuse it to resume.")
  String runId;

  @Option(names = "--model", required = true, description = "Model config YAML (any Hadoop FS path; copied to executors' local disk).")
  String model;

  @Option(names = "--weights-root", description = "Directory of the checkpoints (any Hadoop FS path; cached per executor).")
  String weightsRoot;

  @Option(names = "--factory", description = "TextToVideoFactory class built on each executor. Default: ${DEFAULT-VALUE}")
  String factory = GenerateConfig.DEFAULT_FACTORY;

  @Option(names = "--encoder", description = "VideoEncoder class (frames to MP4). Default: ${DEFAULT-VALUE}")
  String encoder = GenerateConfig.DEFAULT_ENCODER;

  @Option(names = "--prompt-column", description = "CSV column holding the prompt. Default: ${DEFAULT-VALUE}")
  String promptColumn = "prompt";

  @Option(names = "--expanded-column", description = "Column with the expanded prompt. Default: ${DEFAULT-VALUE}")
  String expandedColumn = "expanded_prompt";

  @Option(names = "--use-expanded", arity = "0..1", description = "Generate from the expanded prompt where a row has one.")
  boolean useExpanded;

  @Option(names = "--concept-column", description = "Column with comma-separated concept labels. Default: ${DEFAULT-VALUE}")
  String conceptColumn = "concept";

  @Option(names = "--motion-column", description = "Column with the motion level. Default: ${DEFAULT-VALUE}")
  String motionColumn = "motion_level";

  @Option(names = "--max-prompt-chars", description = "Rows with longer prompts are rejected. Default: ${DEFAULT-VALUE}")
  int maxPromptChars = 8000;

  @Option(names = "--base-seed", description = "Per-prompt seed = hash(base seed, prompt_id). Default: ${DEFAULT-VALUE}")
  long baseSeed = 42;

  @Option(names = "--samples-per-prompt", paramLabel = "K", description = "Videos per prompt; sample k (0-based) has"
      + " seed (prompt seed + k) mod 2^31, so raising K later only adds samples. Default: ${DEFAULT-VALUE}")
  int samplesPerPrompt = 1;

  @Option(names = "--concept", description = "Only rows whose concept labels include this one.")
  String concept;

  @Option(names = "--motion-level", description = "Only rows with this motion level (low|medium|high).")
  String motionLevel;

  @Option(names = "--sample", description = "Deterministic stratified sample of N prompts (see --by).")
  int sample;

  @Option(names = "--by", description = "Sample strata: concept (first label), motion_level or concept+motion_level. Default: ${DEFAULT-VALUE}")
  String by = "concept";

  @Option(names = "--limit", description = "Only the first N prompts (after filters and sampling).")
  int limit;

  @Option(names = "--width", description = "Video width (default: the model config's).")
  Integer width;

  @Option(names = "--height", description = "Video height (default: the model config's).")
  Integer height;

  @Option(names = "--seconds", description = "Video duration in seconds (default: the model config's).")
  Double seconds;

  @Option(names = "--steps", description = "Denoising steps (default: the model config's).")
  Integer steps;

  @Option(names = "--guidance", description = "Classifier-free guidance weight (default: the model config's).")
  Double guidance;

  @Option(names = "--negative-prompt", description = "Negative prompt (default: the reference's).")
  String negativePrompt;

  @Option(names = "--magcache", arity = "0..1",
      description = "Skip visual DiT blocks where the variant's magcache.mag_ratios allow (the reference's MagCache):"
          + " about 2x faster denoising, not bit-identical; the quality cost is measured in the README.")
  boolean magCache;

  @Option(names = "--partitions", description = "Spark partitions; 0 = 2 x default parallelism. Default: ${DEFAULT-VALUE}")
  int partitions;

  @Option(names = "--max-failed-fraction", description = "Exit 3 when failed/distinct prompts exceeds this. Default: ${DEFAULT-VALUE}")
  double maxFailedFraction = 0.05;

  @Option(names = "--retry-with-tiling", arity = "1", description = "Retry a failed prompt once with VAE tiling. Default: ${DEFAULT-VALUE}")
  boolean retryWithTiling = true;

  @Option(names = "--batch-size", description = "Prompts per pipeline call on an executor: the text encoders are placed"
      + " on the device once per batch. Default: ${DEFAULT-VALUE}")
  int batchSize = GenerateConfig.DEFAULT_BATCH_SIZE;

  @Option(names = "--progress-interval-ms", description = "How often the driver polls for finished videos. Default: ${DEFAULT-VALUE}")
  long progressIntervalMs = 5000;

  @Option(names = "--allow-empty", description = "Run even when a prompt CSV holds no rows (header only); without it"
      + " such a file is an error (exit 1).")
  boolean allowEmpty;

  @Mixin LocalSparkOptions sparkOptions;

  @Option(names = "--job-config", description = "Job defaults YAML (default: configs/jobs/generate.yaml shipped in the jar).")
  String jobConfig;

  private final boolean local;

  /** The {@code k5 generate} form: starts its own local Spark. */
  public GenerateCommand() {
    this(true);
  }

  GenerateCommand(boolean local) {
    this.local = local;
  }

  @Override
  public Integer call() throws Exception {
    GenerateCommand effective;
    try {
      effective = withJobDefaults();
    } catch (CommandLine.ParameterException e) { // a bad job YAML: one line, not the usage text
      System.err.println(spec.name() + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
    if (effective.samplesPerPrompt < 1 || effective.samplesPerPrompt > Sampling.MAX_SAMPLES_PER_PROMPT) {
      System.err.println(spec.name() + ": --samples-per-prompt must be 1.." + Sampling.MAX_SAMPLES_PER_PROMPT
          + ", got " + effective.samplesPerPrompt);
      return ExitCode.USAGE;
    }
    GenerateConfig cfg;
    try {
      cfg = effective.toConfig();
      GenerateVideosJob.validate(cfg);
    } catch (IllegalArgumentException e) {
      System.err.println(spec.name() + ": " + e.getMessage());
      return ExitCode.REFUSED;
    }
    if (local) { // this JVM computes: a host that cannot load libtorch (a missing CUDA library) is one line, exit 2
      try {
        org.k5spark.core.engine.TorchRuntime.init();
      } catch (org.k5spark.core.engine.UnsupportedHostException e) {
        System.err.println(spec.name() + ": " + e.getMessage());
        return ExitCode.USAGE;
      }
    }
    boolean ownSession = LocalSparkOptions.startsOwnSession(local);
    SparkSession spark = effective.sparkOptions.session(local, "k5 generate " + effective.runId);
    try {
      RunSummary s;
      try {
        // missing or non-UTF-8 CSVs, header-only CSVs and an unwritable --out: one line each, before any stage
        var conf = spark.sparkContext().hadoopConfiguration();
        for (String csv : Preflight.emptyPromptFiles(cfg, conf)) {
          if (!effective.allowEmpty) {
            System.err.println(spec.name() + ": " + csv + ": no prompt rows (header only); pass --allow-empty to run"
                + " with an empty prompt file");
            return ExitCode.REFUSED;
          }
          System.err.println(spec.name() + ": warning: " + csv + ": no prompt rows (header only)");
        }
        s = GenerateVideosJob.run(spark, cfg);
      } catch (IllegalArgumentException e) { // settings the driver rejects before any task runs
        System.err.println(spec.name() + ": " + e.getMessage());
        return ExitCode.REFUSED;
      }
      System.out.printf("k5 generate %s: %d input rows, %d ok, %d failed, %d rejected, %d already done; manifest %s%n",
          cfg.runId(), s.inputRows(), s.ok(), s.failed(), s.rejected(), s.skipped(), s.manifestCsv());
      if (GenerateVideosJob.ABORTED.equals(s.state())) {
        System.err.println(spec.name() + ": the generate stage aborted (manifest and run.json written): " + s.abortReason());
        return ExitCode.ABORTED;
      }
      if (s.failedFraction() > cfg.maxFailedFraction()) {
        System.err.printf("k5 generate: %.1f%% of prompts failed, over --max-failed-fraction %.1f%%%n",
            100 * s.failedFraction(), 100 * cfg.maxFailedFraction());
        return ExitCode.TOO_MANY_FAILED;
      }
      return 0;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  GenerateConfig toConfig() {
    return new GenerateConfig(prompts, out, runId, model, weightsRoot, factory, encoder,
        new PromptReader.Options(promptColumn, expandedColumn, useExpanded, conceptColumn, motionColumn, maxPromptChars,
            baseSeed),
        new PromptSelection(concept, motionLevel, sample, by, limit),
        new Sampling(width, height, seconds, steps, guidance, negativePrompt, magCache, samplesPerPrompt), partitions, maxFailedFraction, retryWithTiling, progressIntervalMs, batchSize);
  }

  /** Re-parses YAML-derived options followed by the real arguments, so the real ones override. */
  GenerateCommand withJobDefaults() {
    return JobDefaults.apply(spec, jobConfig, DEFAULTS_RESOURCE, "--job-config", new GenerateCommand(local));
  }
}
