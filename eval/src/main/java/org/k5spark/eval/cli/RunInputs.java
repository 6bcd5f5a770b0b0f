package org.k5spark.eval.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
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
import org.k5spark.eval.store.RunStore;
import org.k5spark.eval.store.RunStoreException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code k5 compare} and {@code k5 report}: runs, votes, statistics settings. Every location is
 * read through the {@link RunStore} (plain path, file:, s3a://, hdfs://).
 */
public final class RunInputs {
  static final String RUN_HELP = "A run: LABEL=LOCATION, where LOCATION is the run directory that k5 generate wrote"
      + " and k5 evaluate scored (its eval/metrics.csv is read), its eval/ directory, or a metrics CSV; any Hadoop"
      + " FS location (plain path, file:, s3a://, hdfs://).";

  @Option(names = "--run", required = true, paramLabel = "LABEL=RUN",
      description = RUN_HELP + " Repeat, at least two; the first is A in every pair.")
  Map<String, String> runs = new LinkedHashMap<>();

  @Option(names = "--votes", paramLabel = "FILE", description = "SBS votes exported by the voting page (JSON or CSV; repeatable).")
  List<String> votes = new ArrayList<>();

  @Option(names = "--sbs-key", paramLabel = "sbs-key.json", description = "Key file written with the SBS page; required with --votes.")
  String sbsKey;

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

  @Mixin
  StoreOptions storeOptions = new StoreOptions();

  /** What was read, and a digest of everything the comparison depends on (so a saved one can be reused). */
  record Inputs(List<RunTable> runs, List<Vote> votes, String digest) {}

  RunStore store() {
    return storeOptions.store();
  }

  /**
   * The metrics CSV a {@code --run} location names: the location itself when it is a file, else
   * {@code LOCATION/eval/metrics.csv} (a run directory) or {@code LOCATION/metrics.csv} (its eval directory).
   */
  static Path metricsCsv(RunStore store, String location) throws RunStoreException {
    Path p = store.location(location);
    if (store.isFile(p)) {
      return p;
    }
    if (!store.isDirectory(p)) {
      throw new RunStoreException(p + ": no such file or run directory");
    }
    for (String rel : new String[] {"eval/metrics.csv", "metrics.csv"}) {
      Path csv = new Path(p, rel);
      if (store.isFile(csv)) {
        return csv;
      }
    }
    throw new RunStoreException(p + ": a directory without eval/metrics.csv or metrics.csv (run k5 evaluate --run "
        + location + " first)");
  }

  static RunTable readRun(RunStore store, String label, String location, MessageDigest digest) throws IOException {
    Path csv = metricsCsv(store, location);
    byte[] bytes = store.readBytes(csv);
    if (digest != null) {
      update(digest, label);
      update(digest, bytes);
    }
    return MetricsCsv.read(new StringReader(new String(bytes, StandardCharsets.UTF_8)), csv.toString(), label);
  }

  Inputs read() throws IOException {
    MessageDigest d = sha256();
    List<RunTable> tables = new ArrayList<>();
    for (Map.Entry<String, String> e : runs.entrySet()) {
      tables.add(readRun(store(), e.getKey(), e.getValue(), d));
    }
    List<Vote> vs = readVotes(d);
    update(d, new TreeMap<>(tieMargins).toString());
    update(d, new TreeMap<>(directions).toString());
    update(d, resamples + "/" + seed + "/" + level);
    return new Inputs(tables, vs, HexFormat.of().formatHex(d.digest()));
  }

  private List<Vote> readVotes(MessageDigest d) throws IOException {
    if (votes.isEmpty()) {
      return List.of();
    }
    if (sbsKey == null) {
      throw new IllegalArgumentException("--votes needs --sbs-key (the sbs-key.json written next to the page)");
    }
    Path keyPath = store().location(sbsKey);
    byte[] keyBytes = store().readBytes(keyPath);
    update(d, keyBytes);
    SbsKey key = SbsKey.read(keyBytes, keyPath.toString());
    List<Vote> out = new ArrayList<>();
    for (String v : votes) {
      Path p = store().location(v);
      byte[] b = store().readBytes(p);
      update(d, b);
      out.addAll(SbsVotes.read(new String(b, StandardCharsets.UTF_8), p.toString(), key));
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

  Comparison compare(Inputs in) {
    return compare(in, resamples);
  }

  /** The comparison of the inputs with {@code n} resamples (the saved rows replace the statistics when reused). */
  Comparison compare(Inputs in, int n) {
    return new CompareRuns(policy(), new Bootstrap(n, seed, level)).compare(in.runs(), in.votes());
  }

  Comparison compare() throws IOException {
    return compare(read());
  }

  private static void update(MessageDigest d, String s) {
    update(d, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void update(MessageDigest d, byte[] b) {
    // length first: the concatenation of the parts is unambiguous
    d.update(Long.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    d.update((byte) 0);
    d.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
