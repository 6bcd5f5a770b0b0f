package org.k5spark.eval.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.fs.Path;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.core.video.DecodedVideo;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.VideoFileException;
import org.k5spark.eval.fidelity.VideoFidelity;
import org.k5spark.eval.store.RunStore;
import org.k5spark.eval.store.RunStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code k5 fidelity}: per-video PSNR / SSIM of a candidate run against a reference run of the same prompts
 * and seeds, e.g. MagCache or float16 against the exact float32 sampler. Quality metrics say whether videos
 * got better or worse; fidelity says how far a speed option moved them.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"PSNR and SSIM of each candidate video against the same prompt's reference video.",
        "Videos pair by file name (prompt id: same prompt, same seed). Shows how far a speed option (MagCache,"
            + " fp16, another attention backend) moved the output. Prints a summary; --out writes the per-video CSV.",
        "Locations may be plain paths, file:, s3a:// or hdfs://.",
        "Exit codes: 0 ok, 1 a run unreadable or no video in common, 2 usage."})
public final class FidelityCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--reference", required = true,
      description = "Reference run directory (its videos/ is used) or a directory of MP4s.")
  String reference;

  @Option(names = "--candidate", required = true, description = "Candidate run directory or a directory of MP4s.")
  String candidate;

  @Option(names = "--out", description = "Per-video CSV (video, frames, psnr_db, ssim, mean_abs_diff).")
  String out;

  @Mixin
  StoreOptions storeOptions = new StoreOptions();

  /** One matched pair. */
  record Row(String video, VideoFidelity fidelity) {}

  @Override
  public Integer call() throws Exception {
    return Refusal.run(spec, () -> run(System.out, System.err));
  }

  int run(PrintStream stdout, PrintStream stderr) throws IOException {
    RunStore store = storeOptions.store();
    TreeMap<String, Path> refs = videos(store, reference);
    TreeMap<String, Path> cands = videos(store, candidate);
    List<Row> rows = new ArrayList<>();
    Mp4Reader reader = new Mp4Reader();
    int unreadable = 0;
    for (var e : refs.entrySet()) {
      Path c = cands.get(e.getKey());
      if (c == null) {
        continue;
      }
      try {
        rows.add(new Row(e.getKey(), VideoFidelity.of(read(store, reader, e.getValue()).frames(),
            read(store, reader, c).frames())));
      } catch (VideoFileException | IllegalArgumentException ex) {
        unreadable++;
        stderr.println("fidelity: " + e.getKey() + ": " + ex.getMessage());
      }
    }
    long onlyRef = refs.keySet().stream().filter(k -> !cands.containsKey(k)).count();
    long onlyCand = cands.keySet().stream().filter(k -> !refs.containsKey(k)).count();
    if (rows.isEmpty()) {
      stderr.printf(Locale.ROOT, "fidelity: no comparable video in common (%d reference, %d candidate)%n",
          refs.size(), cands.size());
      return ExitCode.REFUSED;
    }
    if (out != null) {
      StringWriter w = new StringWriter();
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder()
          .setHeader("video", "frames", "psnr_db", "ssim", "mean_abs_diff").build())) {
        for (Row r : rows) {
          VideoFidelity f = r.fidelity();
          p.printRecord(r.video(), f.frames(), fmt(f.psnrDb()), fmt(f.ssim()), fmt(f.meanAbsDiff()));
        }
      }
      store.write(store.location(out), w.toString());
    }
    stdout.print(summary(rows, onlyRef, onlyCand, unreadable));
    return ExitCode.OK;
  }

  private static DecodedVideo read(RunStore store, Mp4Reader reader, Path video) throws IOException {
    try (InputStream in = store.open(video)) {
      return reader.read(in, video.toString());
    }
  }

  static String summary(List<Row> rows, long onlyRef, long onlyCand, int unreadable) {
    double[] psnr = rows.stream().mapToDouble(r -> r.fidelity().psnrDb()).sorted().toArray();
    double[] ssim = rows.stream().mapToDouble(r -> r.fidelity().ssim()).sorted().toArray();
    long identical = rows.stream().filter(r -> Double.isInfinite(r.fidelity().psnrDb())).count();
    double[] finite = java.util.Arrays.stream(psnr).filter(Double::isFinite).toArray();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "videos compared: %d (identical: %d; only in reference: %d, only in candidate:"
        + " %d, unreadable: %d)%n", rows.size(), identical, onlyRef, onlyCand, unreadable));
    sb.append(String.format(Locale.ROOT, "PSNR dB: median %s, min %s, mean of finite %s%n", fmt(median(psnr)),
        fmt(psnr[0]), finite.length == 0 ? "-" : fmt(java.util.Arrays.stream(finite).average().orElseThrow())));
    sb.append(String.format(Locale.ROOT, "SSIM: mean %s, median %s, min %s%n",
        fmt(java.util.Arrays.stream(ssim).average().orElseThrow()), fmt(median(ssim)), fmt(ssim[0])));
    return sb.toString();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String fmt(double v) {
    return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** name -> location of the MP4s in dir/videos (a run) or dir. */
  static TreeMap<String, Path> videos(RunStore store, String location) throws IOException {
    Path dir = store.location(location);
    Path videos = new Path(dir, "videos");
    Path d = store.isDirectory(videos) ? videos : dir;
    if (!store.isDirectory(d)) {
      throw new RunStoreException(dir + ": no such run or video directory");
    }
    TreeMap<String, Path> m = new TreeMap<>();
    for (Path p : store.list(d, ".mp4")) {
      m.put(p.getName(), p);
    }
    return m;
  }
}
