package org.k5spark.eval.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.report.ContactSheet;
import org.k5spark.eval.report.HtmlReport;
import org.k5spark.eval.report.MarkdownSummary;
import org.k5spark.eval.report.Thumbnail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k5 report --run A=a.csv --run B=b.csv [--thumbs DIR] --out DIR}: report.html + summary.md. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Self-contained HTML report (tables, SVG charts, contact sheets, configs, cost) and a Markdown summary.")
public final class ReportCommand implements Callable<Integer> {
  @Mixin
  RunInputs inputs = new RunInputs();

  @Mixin
  ProtocolCheck protocol = new ProtocolCheck();

  @Option(names = "--thumbs", paramLabel = "DIR",
      description = "Contact sheets made by the caller: DIR/<run label>/<prompt_id>.png|.jpg (optional).")
  Path thumbs;

  @Option(names = "--sheets-from-videos", description = "Make a contact sheet of every prompt's video (the metrics CSV's"
      + " video_path, local files) where --thumbs has none.")
  boolean sheetsFromVideos;

  @Option(names = "--sheet-frames", defaultValue = "6", description = "Frames per contact sheet (default ${DEFAULT-VALUE}).")
  int sheetFrames;

  @Option(names = "--sheet-height", defaultValue = "72", description = "Contact sheet height in pixels (default ${DEFAULT-VALUE}).")
  int sheetHeight;

  @Option(names = "--title", defaultValue = "k5 run comparison")
  String title;

  @Option(names = "--best-worst", defaultValue = "3", description = "Prompts listed as best/worst per metric and run.")
  int bestWorst;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Comparison c = inputs.compare();
    Integer refused = protocol.refuse(c, "k5 report");
    if (refused != null) {
      return refused;
    }
    Files.createDirectories(out);
    new HtmlReport(c, thumbnails(c), title, bestWorst).write(out.resolve("report.html"));
    MarkdownSummary.write(c, title, out.resolve("summary.md"));
    System.out.println("wrote " + out.resolve("report.html") + " and summary.md");
    return 0;
  }

  private Map<String, Map<String, Thumbnail>> thumbnails(Comparison c) throws IOException {
    Map<String, Map<String, Thumbnail>> m = new LinkedHashMap<>();
    if (thumbs != null) {
      fromDirectory(c, m);
    }
    if (sheetsFromVideos) {
      for (RunTable r : c.runs()) {
        for (var v : r.videos()) {
          if (v.ok() && !m.getOrDefault(v.promptId(), Map.of()).containsKey(r.runId())) {
            Thumbnail t = ContactSheet.fromVideo(v.videoPath(), sheetFrames, sheetHeight);
            if (t != null) {
              m.computeIfAbsent(v.promptId(), k -> new LinkedHashMap<>()).put(r.runId(), t);
            }
          }
        }
      }
    }
    return m;
  }

  private void fromDirectory(Comparison c, Map<String, Map<String, Thumbnail>> m) throws IOException {
    if (!Files.isDirectory(thumbs)) {
      throw new IOException("--thumbs " + thumbs + " is not a directory");
    }
    for (RunTable r : c.runs()) {
      for (String promptId : r.byPrompt().keySet()) {
        for (String ext : new String[] {".png", ".jpg", ".jpeg"}) {
          Path f = thumbs.resolve(r.runId()).resolve(promptId + ext);
          // prompt ids are file names here: refuse anything that would leave the directory
          if (f.normalize().startsWith(thumbs.normalize()) && Files.isRegularFile(f)) {
            m.computeIfAbsent(promptId, k -> new LinkedHashMap<>()).put(r.runId(), Thumbnail.read(f));
            break;
          }
        }
      }
    }
  }
}
