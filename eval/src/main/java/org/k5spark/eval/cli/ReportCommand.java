package org.k5spark.eval.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.report.ContactSheet;
import org.k5spark.eval.report.HtmlReport;
import org.k5spark.eval.report.MarkdownSummary;
import org.k5spark.eval.report.Thumbnail;
import org.k5spark.eval.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code k5 report --run A=RUN --run B=RUN [--comparison DIR] [--thumbs DIR] --out DIR}: report.html + summary.md. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Self-contained HTML report (tables, SVG charts, contact sheets, configs, cost) and a Markdown summary."
        + " Reuses the comparison.json that k5 compare wrote for the same inputs (--comparison, or one in --out).")
public final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RunInputs inputs = new RunInputs();

  @Option(names = "--comparison", paramLabel = "LOCATION", description = "The comparison.json (or the --out directory)"
      + " of an earlier k5 compare: its statistics are reused when they were computed from the same runs, votes and"
      + " settings, else recomputed. Default: comparison.json in --out, if there.")
  String comparison;

  @Mixin
  ProtocolCheck protocol = new ProtocolCheck();

  @Option(names = "--thumbs", paramLabel = "DIR",
      description = "Contact sheets made by the caller: DIR/<run label>/<prompt_id>.png|.jpg (optional).")
  String thumbs;

  @Option(names = "--sheets-from-videos", description = "Make a contact sheet of every prompt's video (the metrics CSV's"
      + " video_path, any Hadoop FS location) where --thumbs has none.")
  boolean sheetsFromVideos;

  @Option(names = "--sheet-frames", defaultValue = "6", description = "Frames per contact sheet (default ${DEFAULT-VALUE}).")
  int sheetFrames;

  @Option(names = "--sheet-height", defaultValue = "72", description = "Contact sheet height in pixels (default ${DEFAULT-VALUE}).")
  int sheetHeight;

  @Option(names = "--title", defaultValue = "k5 run comparison")
  String title;

  @Option(names = "--best-worst", defaultValue = "3", description = "Prompts listed as best/worst per metric and run.")
  int bestWorst;

  @Option(names = "--out", required = true, description = "Output directory (plain path, file:, s3a://, hdfs://).")
  String out;

  @Override
  public Integer call() throws Exception {
    return Refusal.run(spec, this::report);
  }

  private int report() throws IOException {
    RunStore store = inputs.store();
    Path dir = store.location(out);
    RunInputs.Inputs in = inputs.read();
    Comparison c = reuseOrCompare(store, dir, in);
    Integer refused = protocol.refuse(c, "k5 report");
    if (refused != null) {
      return refused;
    }
    Map<String, Map<String, Thumbnail>> sheets = thumbnails(store, c);
    store.write(new Path(dir, "report.html"), new HtmlReport(c, sheets, title, bestWorst).render());
    store.write(new Path(dir, "summary.md"), MarkdownSummary.render(c, title));
    System.out.println("wrote " + new Path(dir, "report.html") + " and summary.md");
    return ExitCode.OK;
  }

  /**
   * The comparison: the saved one's statistics when its digest matches these inputs (the pairing, which is cheap,
   * is redone from the runs; the bootstrap and permutation rows, which are not, are taken as saved), else computed.
   */
  private Comparison reuseOrCompare(RunStore store, Path outDir, RunInputs.Inputs in) throws IOException {
    Path saved = savedComparison(store, outDir);
    if (saved != null) {
      Map<String, List<MetricRow>> rows = ComparisonJson.savedRows(
          new String(store.readBytes(saved), StandardCharsets.UTF_8), in.digest(), saved.toString());
      if (rows != null) {
        Comparison paired = inputs.compare(in, 1);
        List<PairComparison> pairs = new ArrayList<>();
        for (PairComparison pc : paired.pairs()) {
          List<MetricRow> r = rows.get(pc.runA() + '\u0000' + pc.runB());
          if (r == null) {
            throw new IOException(saved + ": has no " + pc.runA() + " vs " + pc.runB() + " pair");
          }
          pairs.add(new PairComparison(pc.runA(), pc.runB(), r, pc.prompts(), pc.onlyInA(), pc.onlyInB(), pc.votes()));
        }
        System.out.println("reused the statistics of " + saved);
        return new Comparison(paired.runs(), pairs, paired.partialPrompts(), paired.failedVideos(), inputs.resamples,
            inputs.seed, inputs.level);
      }
      System.out.println(saved + " was computed from other inputs or settings; computing the comparison again");
    }
    return inputs.compare(in);
  }

  private Path savedComparison(RunStore store, Path outDir) throws IOException {
    if (comparison == null) {
      Path p = new Path(outDir, "comparison.json");
      return store.isFile(p) ? p : null;
    }
    Path p = store.location(comparison);
    return store.isDirectory(p) ? new Path(p, "comparison.json") : p;
  }

  private Map<String, Map<String, Thumbnail>> thumbnails(RunStore store, Comparison c) throws IOException {
    Map<String, Map<String, Thumbnail>> m = new LinkedHashMap<>();
    if (thumbs != null) {
      fromDirectory(store, c, m);
    }
    if (sheetsFromVideos) {
      int made = 0;
      List<String> unreadable = new ArrayList<>();
      for (RunTable r : c.runs()) {
        for (var v : r.videos()) {
          if (v.ok() && !m.getOrDefault(v.promptId(), Map.of()).containsKey(r.runId())) {
            Thumbnail t = ContactSheet.fromVideo(store, v.videoPath(), sheetFrames, sheetHeight);
            if (t != null) {
              m.computeIfAbsent(v.promptId(), k -> new LinkedHashMap<>()).put(r.runId(), t);
              made++;
            } else {
              unreadable.add(v.videoPath());
            }
          }
        }
      }
      System.out.println(made + " contact sheets" + (unreadable.isEmpty() ? ""
          : "; " + unreadable.size() + " videos could not be read (first: " + unreadable.get(0) + ")"));
    }
    return m;
  }

  private void fromDirectory(RunStore store, Comparison c, Map<String, Map<String, Thumbnail>> m) throws IOException {
    Path dir = store.location(thumbs);
    if (!store.isDirectory(dir)) {
      throw new IOException("--thumbs " + dir + " is not a directory");
    }
    for (RunTable r : c.runs()) {
      for (String promptId : r.byPrompt().keySet()) {
        // labels and prompt ids are file names here: skip anything that would leave the directory
        if (!plainName(promptId) || !plainName(r.runId())) {
          continue;
        }
        for (String ext : new String[] {".png", ".jpg", ".jpeg"}) {
          Path f = new Path(new Path(dir, r.runId()), promptId + ext);
          if (store.isFile(f)) {
            m.computeIfAbsent(promptId, k -> new LinkedHashMap<>()).put(r.runId(), Thumbnail.read(store.readBytes(f),
                f.toString()));
            break;
          }
        }
      }
    }
  }

  private static boolean plainName(String s) {
    return !s.isEmpty() && !s.contains("/") && !s.contains("\\") && !s.startsWith(".") && !s.contains(":");
  }
}
