package org.k5spark.eval.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.report.MarkdownSummary;
import org.k5spark.eval.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code k5 compare --run A=RUN --run B=RUN [--votes v.json --sbs-key k.json] --out DIR}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Paired comparison of runs: win/tie/loss, bootstrap CIs, paired tests, per concept and motion level. "
        + "Writes comparison.json, rows.csv and summary.md to --out (any Hadoop FS location).")
public final class CompareCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RunInputs inputs = new RunInputs();

  @Mixin
  ProtocolCheck protocol = new ProtocolCheck();

  @Option(names = "--out", required = true, description = "Output directory (plain path, file:, s3a://, hdfs://).")
  String out;

  @Option(names = "--title", defaultValue = "k5 run comparison")
  String title;

  @Override
  public Integer call() throws Exception {
    return Refusal.run(spec, this::compare);
  }

  private int compare() throws Exception {
    RunStore store = inputs.store();
    Path dir = store.location(out);
    RunInputs.Inputs in = inputs.read();
    Comparison c = inputs.compare(in);
    Integer refused = protocol.refuse(c, "k5 compare");
    if (refused != null) {
      return refused;
    }
    store.write(new Path(dir, "comparison.json"), ComparisonJson.json(c, in.digest()));
    store.write(new Path(dir, "rows.csv"), ComparisonJson.rowsCsv(c));
    store.write(new Path(dir, "summary.md"), MarkdownSummary.render(c, title));
    for (PairComparison pc : c.pairs()) {
      System.out.printf("%s vs %s: %d paired prompts, %d only in %s, %d only in %s, %d votes%n", pc.runA(), pc.runB(),
          pc.prompts().size(), pc.onlyInA().size(), pc.runA(), pc.onlyInB().size(), pc.runB(), pc.votes());
    }
    System.out.println("wrote " + new Path(dir, "comparison.json") + ", rows.csv, summary.md");
    return ExitCode.OK;
  }
}
