package org.k5spark.eval.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.report.MarkdownSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k5 compare --run A=a.csv --run B=b.csv [--votes v.json --sbs-key k.json] --out DIR}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Paired comparison of runs: win/tie/loss, bootstrap CIs, paired tests, per concept and motion level. "
        + "Writes comparison.json, rows.csv and summary.md to --out.")
public final class CompareCommand implements Callable<Integer> {
  @Mixin
  RunInputs inputs = new RunInputs();

  @Mixin
  ProtocolCheck protocol = new ProtocolCheck();

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--title", defaultValue = "k5 run comparison")
  String title;

  @Override
  public Integer call() throws Exception {
    Comparison c = inputs.compare();
    Integer refused = protocol.refuse(c, "k5 compare");
    if (refused != null) {
      return refused;
    }
    Files.createDirectories(out);
    ComparisonJson.writeJson(c, out.resolve("comparison.json"));
    ComparisonJson.writeRowsCsv(c, out.resolve("rows.csv"));
    MarkdownSummary.write(c, title, out.resolve("summary.md"));
    for (PairComparison pc : c.pairs()) {
      System.out.printf("%s vs %s: %d paired prompts, %d only in %s, %d only in %s, %d votes%n", pc.runA(), pc.runB(),
          pc.prompts().size(), pc.onlyInA().size(), pc.runA(), pc.onlyInB().size(), pc.runB(), pc.votes());
    }
    System.out.println("wrote " + out.resolve("comparison.json") + ", rows.csv, summary.md");
    return 0;
  }
}
