package org.k5spark.eval.report;

import static org.k5spark.eval.report.Text.md;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.core.io.AtomicFiles;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.stats.Direction;

/**
 * A short Markdown summary for a CI comment: runs with cost, and per run pair the overall table
 * (one line per metric / human question: wins, ties, losses, win rate with CI, mean difference, p).
 * User strings are HTML-escaped and Markdown-neutralised so a prompt cannot inject markup.
 */
public final class MarkdownSummary {
  private static final int MAX_LISTED = 20;

  private MarkdownSummary() {
  }

  public static void write(Comparison cmp, String title, Path file) throws IOException {
    AtomicFiles.writeAtomically(file, render(cmp, title));
  }

  public static String render(Comparison cmp, String title) {
    StringBuilder s = new StringBuilder();
    s.append("## ").append(md(title)).append("\n\n");
    var mismatch = org.k5spark.eval.compare.Protocol.differences(cmp.runs());
    if (!mismatch.isEmpty()) {
      s.append("**Protocol mismatch**: the runs differ in ").append(md(org.k5spark.eval.compare.Protocol.keys(mismatch)))
          .append(", not only in the checkpoint.\n\n");
    }
    s.append("| run | videos | failed | GPU-s / video |\n|---|---:|---:|---:|\n");
    for (RunTable r : cmp.runs()) {
      Double g = r.gpuSecondsPerVideo();
      s.append("| ").append(md(r.runId())).append(" | ").append(r.videos().size()).append(" | ")
          .append(r.videos().stream().filter(v -> !v.ok()).count()).append(" | ")
          .append(g == null ? "–" : Text.num(g)).append(" |\n");
    }
    for (PairComparison pc : cmp.pairs()) {
      String a = md(pc.runA());
      String b = md(pc.runB());
      s.append("\n### ").append(a).append(" vs ").append(b).append("\n\n").append(pc.prompts().size())
          .append(" paired prompts").append(pc.votes() > 0 ? ", " + pc.votes() + " human votes" : "")
          .append("; shares from ").append(a).append("'s side, win rate = (W + T/2)/n, ")
          .append(Text.level(cmp.level())).append(" bootstrap CI; ")
          .append(org.k5spark.eval.compare.PromptMeans.RULE).append(".\n\n");
      s.append("| criterion | ").append(a).append(" wins | tie | ").append(b)
          .append(" wins | n | win rate [CI] | Δ mean [CI] | p |\n|---|---:|---:|---:|---:|---|---|---:|\n");
      for (MetricRow r : pc.overall()) {
        if (r.direction() == Direction.NONE) {
          continue;
        }
        double p = "human".equals(r.source()) ? r.signP() : r.wilcoxonP();
        s.append("| ").append(md(r.name())).append(r.direction() == Direction.LOWER_IS_BETTER ? " ↓" : "")
            .append(" | ").append(Text.pct(r.wtl().winShare())).append(" | ").append(Text.pct(r.wtl().tieShare()))
            .append(" | ").append(Text.pct(r.wtl().lossShare())).append(" | ").append(r.n()).append(" | ")
            .append(Text.ci(r.winRate())).append(" | ").append(Text.ci(r.meanDiff())).append(" | ")
            .append(Text.p(p)).append(marker(p)).append(" |\n");
      }
      if (!pc.onlyInA().isEmpty() || !pc.onlyInB().isEmpty()) {
        s.append("\nUnpaired prompts: only in ").append(a).append(": ").append(ids(pc.onlyInA())).append("; only in ")
            .append(b).append(": ").append(ids(pc.onlyInB())).append("\n");
      }
    }
    if (!cmp.failedVideos().isEmpty()) {
      s.append("\n").append(cmp.failedVideos().size()).append(" failed videos (see the HTML report).\n");
    }
    s.append("\np: Wilcoxon signed-rank for metrics, sign test for human votes; * p<0.05, ** p<0.01.\n");
    return s.toString();
  }

  private static String marker(double p) {
    return Double.isNaN(p) ? "" : p < 0.01 ? " \\*\\*" : p < 0.05 ? " \\*" : "";
  }

  private static String ids(List<String> ids) {
    if (ids.isEmpty()) {
      return "none";
    }
    String shown = String.join(", ", ids.subList(0, Math.min(MAX_LISTED, ids.size())).stream().map(Text::md).toList());
    return ids.size() > MAX_LISTED ? shown + " … (" + ids.size() + " in total)" : shown;
  }
}
