package org.k5spark.jobs.nightly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.k5spark.core.pipeline.Digests;
import org.k5spark.eval.compare.CompareRuns;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.stats.Group;
import org.k5spark.eval.stats.MetricPolicy;
import org.k5spark.jobs.evaluate.EvaluateConfig;
import org.k5spark.jobs.evaluate.EvaluateVideosJob;
import org.k5spark.jobs.generate.GenerateConfig;
import org.k5spark.jobs.generate.GenerateVideosJob;
import org.k5spark.jobs.generate.PromptReader;
import org.k5spark.jobs.generate.PromptSelection;
import org.k5spark.jobs.generate.Sampling;
import org.k5spark.eval.store.FsCommit;
import org.k5spark.eval.store.RunStore;
import org.k5spark.jobs.spark.ModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly checkpoint regression: generate the fixed prompt subset with the candidate (and the baseline
 * checkpoint, unless a baseline run is given), evaluate both, compare candidate (A) against baseline (B),
 * apply {@link Gates}, then write {@code verdict.json}, the report and the history. Generation runs are
 * named by checkpoint digest ({@code <home>/runs/ckpt-<digest16>}), so a baseline is generated once and
 * reused every night, and a night that crashed resumes where it stopped. A candidate identical by digest to the last
 * judged one is not re-run (verdict {@code skipped}).
 */
public final class NightlyRegression {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyRegression.class);
  private static final String ENCODER = GenerateConfig.DEFAULT_ENCODER;

  private NightlyRegression() {}

  public static Verdict run(SparkSession spark, NightlyConfig cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String time = Instant.now().toString();
    Path tmp = new Path(cfg.night(), "_tmp");
    String digest = null;
    try {
      digest = checkpointDigest(cfg.candidate(), conf);
      List<History.Row> history = History.read(cfg.historyCsv(), conf);
      History.Row last = History.lastJudged(history);
      if (last != null && digest.equals(last.candidateDigest())) {
        Verdict v = new Verdict(cfg.nightId(), time, Verdict.SKIPPED, cfg.candidate(), digest, last.baseline(), null, null,
            List.of(), List.of(), "candidate checkpoint is identical by digest to the one judged on night "
            + last.nightId() + " (" + last.status() + "): not re-run", null);
        finish(spark, cfg, v, List.of(row(v, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false)), tmp);
        return v;
      }

      String baselineRunDir;
      if (cfg.baselineRun() != null) {
        // a bare run id names one of the nightly's own runs; anything else is a run directory
        baselineRunDir = cfg.baselineRun().matches("[A-Za-z0-9][A-Za-z0-9._-]*")
            ? new Path(cfg.runs(), cfg.baselineRun()).toString() : cfg.baselineRun();
      } else {
        String runId = runIdOf(checkpointDigest(cfg.baselineCheckpoint(), conf));
        generate(spark, cfg, cfg.baselineCheckpoint(), runId);
        baselineRunDir = new Path(cfg.runs(), runId).toString();
      }
      EvaluateVideosJob.run(spark, evalConfig(cfg, baselineRunDir));
      // runs are named by checkpoint digest: a candidate equal to the baseline checkpoint, or judged on an
      // earlier night, reuses (resumes) its run instead of generating again
      String candidateRunId = runIdOf(digest);
      generate(spark, cfg, cfg.candidate(), candidateRunId);
      String candidateRunDir = new Path(cfg.runs(), candidateRunId).toString();
      EvaluateVideosJob.Summary cs = EvaluateVideosJob.run(spark, evalConfig(cfg, candidateRunDir));

      RunTable candidate = readMetrics(candidateRunDir, "candidate", conf);
      RunTable baseline = readMetrics(baselineRunDir, "baseline", conf);
      Comparison c = new CompareRuns(MetricPolicy.defaults(), new Bootstrap(cfg.resamples(), 20251125L, 0.95))
          .compare(List.of(candidate, baseline), List.of());
      PairComparison pc = c.pairs().get(0);
      List<Check> checks = new ArrayList<>(Gates.apply(pc, cfg.maxDrop(), cfg.winRateGate()));
      // a baseline run made under another protocol (steps, prompts, seeds, ...) cannot judge the checkpoint
      var protocol = org.k5spark.eval.compare.Protocol.differences(List.of(candidate, baseline));
      if (!protocol.isEmpty()) {
        checks.add(new Check("protocol", "same_protocol", true, protocol.size(), 0, "candidate and baseline differ in "
            + org.k5spark.eval.compare.Protocol.keys(protocol) + ", not only in the checkpoint"));
      }
      if (cs.ok() < cs.videos() - cs.generationFailed() || cs.generationFailed() > 0) {
        checks.add(new Check("videos", "generated_and_scored", true, cs.ok(), cs.videos(), cs.ok() + " of " + cs.videos()
            + " candidate videos generated and scored (" + cs.generationFailed() + " generation failures, "
            + (cs.missing() + cs.corrupt() + cs.errors()) + " unreadable)"));
      }
      List<String> regressions = checks.stream().filter(Check::regressed).map(ch -> ch.metric() + " (" + ch.rule() + ")")
          .toList();
      Verdict v = new Verdict(cfg.nightId(), time, regressions.isEmpty() ? Verdict.PASS : Verdict.REGRESSION,
          cfg.candidate(), digest, baselineRunDir, candidateRunDir, baselineRunDir, regressions, checks, null,
          new Path(cfg.night(), "report.html").toString());
      List<History.Row> rows = new ArrayList<>();
      for (String metric : new java.util.TreeSet<>(cfg.maxDrop().keySet())) {
        MetricRow r = pc.row(metric, Group.OVERALL);
        boolean regressed = checks.stream().anyMatch(ch -> ch.metric().equals(metric) && ch.regressed());
        rows.add(r == null ? row(v, metric, Double.NaN, Double.NaN, Double.NaN, Double.NaN, regressed)
            : row(v, metric, r.meanA().estimate(), r.meanB().estimate(), r.meanDiff().estimate(), r.winRate().upper(),
                regressed));
      }
      List<History.Row> withTonight = new ArrayList<>(history);
      withTonight.addAll(rows);
      FsCommit.commitBytes(NightlyReport.page(c, v, withTonight, new RunStore(conf)).getBytes(StandardCharsets.UTF_8),
          new Path(cfg.night(), "report.html"), tmp, conf);
      FsCommit.commitBytes(NightlyReport.markdown(c, v).getBytes(StandardCharsets.UTF_8),
          new Path(cfg.night(), "summary.md"), tmp, conf);
      finish(spark, cfg, v, rows, tmp);
      return v;
    } catch (Exception | LinkageError e) {
      LOG.error("nightly {} failed", cfg.nightId(), e);
      Verdict v = new Verdict(cfg.nightId(), time, Verdict.ERROR, cfg.candidate(), digest, cfg.baselineRun() != null
          ? cfg.baselineRun() : cfg.baselineCheckpoint(), null, null, List.of(), List.of(), e.toString(), null);
      try {
        finish(spark, cfg, v, List.of(row(v, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false)), tmp);
      } catch (Exception again) {
        LOG.error("could not record the error verdict of {}: {}", cfg.nightId(), again.toString());
      }
      return v;
    }
  }

  private static void finish(SparkSession spark, NightlyConfig cfg, Verdict v, List<History.Row> rows, Path tmp)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FsCommit.commitBytes(v.toJson(), new Path(cfg.night(), "verdict.json"), tmp, conf);
    History.append(rows, cfg.historyCsv(), cfg.historyParquet(), tmp, spark);
    tmp.getFileSystem(conf).delete(tmp, true);
    LOG.info("nightly {}: {} {}", cfg.nightId(), v.status(), v.regressions());
  }

  private static History.Row row(Verdict v, String metric, double a, double b, double change, double winHi,
      boolean regressed) {
    return new History.Row(v.nightId(), v.time(), v.status(), v.candidate(), v.candidateDigest(), v.baseline(), metric,
        a, b, change, winHi, regressed);
  }

  /** Same prompts, same seeds, same settings for every checkpoint and every night. */
  private static void generate(SparkSession spark, NightlyConfig cfg, String weights, String runId) throws IOException {
    PromptReader.Options d = PromptReader.Options.defaults();
    PromptReader.Options opts = new PromptReader.Options(d.promptColumn(), d.expandedColumn(), d.useExpanded(),
        d.conceptColumn(), d.motionColumn(), d.maxChars(), cfg.baseSeed());
    GenerateConfig g = new GenerateConfig(cfg.prompts(), cfg.runs().toString(), runId, cfg.model(), weights,
        cfg.factory(), ENCODER, opts, new PromptSelection(null, null, cfg.sample(), "concept+motion_level", 0),
        new Sampling(null, null, cfg.seconds(), cfg.steps(), null, null, false), cfg.partitions(), 1.0, true, 5000);
    GenerateVideosJob.validate(g);
    GenerateVideosJob.run(spark, g);
  }

  private static EvaluateConfig evalConfig(NightlyConfig cfg, String runDir) {
    return new EvaluateConfig(runDir, cfg.weightsDir(), cfg.device(), cfg.partitions(), cfg.resamples(), 20251125L, 0.95);
  }

  private static RunTable readMetrics(String runDir, String label, Configuration conf) throws IOException {
    Path csv = new Path(new Path(runDir, "eval"), "metrics.csv");
    try (var in = new RunStore(conf).reader(csv)) {
      return MetricsCsv.read(in, csv.toString(), label);
    }
  }

  /** sha256 over the checkpoint's files (a remote checkpoint is fetched once per machine first). */
  static String checkpointDigest(String weights, Configuration conf) throws IOException {
    return Digests.ofPath(java.nio.file.Path.of(ModelFiles.localize(weights, conf)));
  }

  /** The generation run of a checkpoint under {@code <home>/runs/}. */
  static String runIdOf(String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    return "ckpt-" + hex.substring(0, 16);
  }
}
