package org.k5spark.eval.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.sbs.SbsKey;
import org.k5spark.eval.sbs.SbsPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code k5 sbs --run A=a.csv --run B=b.csv --out DIR}: blinded side-by-side voting page + key. */
@Command(name = "sbs", mixinStandardHelpOptions = true,
    description = "Static blinded side-by-side voting page (index.html) and its unblinding key (sbs-key.json). "
        + "Give voters only index.html (and videos/); feed exported votes to 'k5 compare --votes ... --sbs-key ...'.")
public final class SbsCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "LABEL=metrics.csv", description = "Exactly two runs.")
  Map<String, Path> runs = new LinkedHashMap<>();

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the left/right draw (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--title", defaultValue = "Which video is better?")
  String title;

  @Option(names = "--copy-videos", description = "Copy videos next to the page under neutral names (hides run names in paths).")
  boolean copyVideos;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (runs.size() != 2) {
      throw new IllegalArgumentException("sbs needs exactly two --run options, got " + runs.size());
    }
    List<Map.Entry<String, Path>> rs = List.copyOf(runs.entrySet());
    RunTable a = MetricsCsv.read(rs.get(0).getValue(), rs.get(0).getKey());
    RunTable b = MetricsCsv.read(rs.get(1).getValue(), rs.get(1).getKey());
    SbsKey key = SbsPage.write(a, b, seed, title, copyVideos, out);
    long revealing = 0;
    for (RunTable r : List.of(a, b)) {
      String label = r.runId().toLowerCase(java.util.Locale.ROOT);
      revealing += r.videos().stream().map(VideoScore::videoPath).filter(p -> p != null
          && p.toLowerCase(java.util.Locale.ROOT).contains(label)
          && !(copyVideos && java.nio.file.Files.isRegularFile(Path.of(p)))).count();
    }
    if (revealing > 0) {
      System.err.printf("warning: %d video paths contain a run label and are linked as-is, so the page is not blind;"
          + " use --copy-videos with local files%n", revealing);
    }
    System.out.printf("wrote %s (%d pairs) and %s; %d prompts not in both runs%s%n", out.resolve("index.html"),
        key.items().size(), out.resolve("sbs-key.json"), key.unpaired().size(),
        key.unpaired().isEmpty() ? "" : ": " + String.join(", ", key.unpaired()));
    return 0;
  }
}
