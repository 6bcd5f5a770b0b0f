package org.k5spark.eval.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.k5spark.eval.compare.CompareRuns;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.Vote;
import org.k5spark.eval.sbs.SbsKey;
import org.k5spark.eval.sbs.SbsVotes;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.stats.Direction;
import org.k5spark.eval.stats.MetricPolicy;
import picocli.CommandLine.Option;

/** Options shared by {@code k5 compare} and {@code k5 report}: runs, votes, statistics settings. */
public final class RunInputs {
  @Option(names = "--run", required = true, paramLabel = "LABEL=metrics.csv",
      description = "A run's per-video metrics CSV (repeat, at least two; the first is A in every pair).")
  Map<String, Path> runs = new LinkedHashMap<>();

  @Option(names = "--votes", paramLabel = "FILE", description = "SBS votes exported by the voting page (JSON or CSV; repeatable).")
  List<Path> votes = new ArrayList<>();

  @Option(names = "--sbs-key", paramLabel = "sbs-key.json", description = "Key file written with the SBS page; required with --votes.")
  Path sbsKey;

  @Option(names = "--tie-margin", paramLabel = "METRIC=MARGIN", description = "Override a metric's tie margin.")
  Map<String, Double> tieMargins = new LinkedHashMap<>();

  @Option(names = "--direction", paramLabel = "METRIC=higher|lower|none", description = "Override a metric's direction.")
  Map<String, String> directions = new LinkedHashMap<>();

  @Option(names = "--resamples", defaultValue = "2000", description = "Bootstrap / permutation resamples (default ${DEFAULT-VALUE}).")
  int resamples;

  @Option(names = "--seed", defaultValue = "20251125", description = "Seed of bootstrap and permutation test (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--level", defaultValue = "0.95", description = "Confidence level (default ${DEFAULT-VALUE}).")
  double level;

  List<RunTable> readRuns() throws IOException {
    List<RunTable> out = new ArrayList<>();
    for (Map.Entry<String, Path> e : runs.entrySet()) {
      out.add(MetricsCsv.read(e.getValue(), e.getKey()));
    }
    return out;
  }

  List<Vote> readVotes() throws IOException {
    if (votes.isEmpty()) {
      return List.of();
    }
    if (sbsKey == null) {
      throw new IllegalArgumentException("--votes needs --sbs-key (the sbs-key.json written next to the page)");
    }
    SbsKey key = SbsKey.read(sbsKey);
    List<Vote> out = new ArrayList<>();
    for (Path p : votes) {
      out.addAll(SbsVotes.read(p, key));
    }
    return out;
  }

  MetricPolicy policy() {
    MetricPolicy p = MetricPolicy.defaults();
    for (Map.Entry<String, String> e : directions.entrySet()) {
      Direction d = switch (e.getValue().toLowerCase(Locale.ROOT)) {
        case "higher" -> Direction.HIGHER_IS_BETTER;
        case "lower" -> Direction.LOWER_IS_BETTER;
        case "none" -> Direction.NONE;
        default -> throw new IllegalArgumentException("--direction " + e.getKey() + ": expected higher, lower or none, got "
            + e.getValue());
      };
      p = p.with(e.getKey(), d, tieMargins.getOrDefault(e.getKey(), p.rule(e.getKey()).tieMargin()));
    }
    for (Map.Entry<String, Double> e : tieMargins.entrySet()) {
      p = p.with(e.getKey(), p.rule(e.getKey()).direction(), e.getValue());
    }
    return p;
  }

  Comparison compare() throws IOException {
    return new CompareRuns(policy(), new Bootstrap(resamples, seed, level)).compare(readRuns(), readVotes());
  }
}
