package org.k5spark.eval.cli;

import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.sbs.SbsKey;
import org.k5spark.eval.sbs.SbsPage;
import org.k5spark.eval.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code k5 sbs --run A=RUN --run B=RUN --copy-videos --out DIR}: blinded side-by-side voting page + key. */
@Command(name = "sbs", mixinStandardHelpOptions = true,
    description = "Static blinded side-by-side voting page (index.html) and its unblinding key (sbs-key.json). "
        + "Give voters only index.html and videos/ (--copy-videos); feed exported votes to "
        + "'k5 compare --votes ... --sbs-key ...'.")
public final class SbsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "LABEL=RUN", description = RunInputs.RUN_HELP + " Exactly two.")
  Map<String, String> runs = new LinkedHashMap<>();

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the left/right draw (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--title", defaultValue = "Which video is better?")
  String title;

  @Option(names = "--copy-videos", description = "Copy the videos (from any Hadoop FS location) next to the page as"
      + " videos/<item>-left|right.mp4, so neither the page nor a file name tells the runs apart.")
  boolean copyVideos;

  @Option(names = "--out", required = true, description = "Output directory (plain path, file:, s3a://, hdfs://).")
  String out;

  @Mixin
  StoreOptions storeOptions = new StoreOptions();

  @Override
  public Integer call() throws Exception {
    return Refusal.run(spec, this::sbs);
  }

  private int sbs() throws Exception {
    if (runs.size() != 2) {
      throw new IllegalArgumentException("sbs needs exactly two --run options, got " + runs.size());
    }
    RunStore store = storeOptions.store();
    List<Map.Entry<String, String>> rs = List.copyOf(runs.entrySet());
    RunTable a = RunInputs.readRun(store, rs.get(0).getKey(), rs.get(0).getValue(), null);
    RunTable b = RunInputs.readRun(store, rs.get(1).getKey(), rs.get(1).getValue(), null);
    Path dir = store.location(out);
    List<String> uncopied = new java.util.ArrayList<>();
    SbsKey key = SbsPage.write(a, b, seed, title, copyVideos, store, dir, uncopied);
    if (!uncopied.isEmpty()) {
      spec.commandLine().getErr().printf("warning: %d videos could not be read and have no video on the page (first: %s)%n",
          uncopied.size(), uncopied.get(0));
    }
    if (!copyVideos) {
      long linked = List.of(a, b).stream().flatMap(r -> r.videos().stream()).map(VideoScore::videoPath)
          .filter(p -> p != null && !p.isBlank()).count();
      if (linked > 0) {
        spec.commandLine().getErr().printf("warning: %d videos are linked from their runs' own locations, which tell the runs apart,"
            + " so the page is not blind; use --copy-videos%n", linked);
      }
    }
    spec.commandLine().getErr().flush();
    System.out.printf("wrote %s (%d pairs) and %s; %d prompts not in both runs%s%n", new Path(dir, "index.html"),
        key.items().size(), new Path(dir, "sbs-key.json"), key.unpaired().size(),
        key.unpaired().isEmpty() ? "" : ": " + String.join(", ", key.unpaired()));
    return ExitCode.OK;
  }
}
