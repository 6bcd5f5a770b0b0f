package org.k5spark.jobs.nightly;

import static org.k5spark.eval.report.Text.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.report.Charts;
import org.k5spark.eval.report.ContactSheet;
import org.k5spark.eval.report.HtmlReport;
import org.k5spark.eval.report.MarkdownSummary;
import org.k5spark.eval.report.Thumbnail;
import org.k5spark.eval.store.RunStore;

/**
 * The night's report: the regular comparison report (candidate vs baseline, contact sheets) with the
 * verdict, every check and one trend chart per gated metric (history + tonight, regressions in red) on
 * top; and the Markdown summary with the verdict first (for a CI comment or chat message).
 */
final class NightlyReport {
  private NightlyReport() {}

  static String page(Comparison c, Verdict v, List<History.Row> history, RunStore store) {
    String title = "k5 nightly " + v.nightId() + ": " + v.status().toUpperCase(Locale.ROOT);
    return new HtmlReport(c, sheets(c, store), title, 3).addSection(section(v, history)).render();
  }

  static String markdown(Comparison c, Verdict v) {
    StringBuilder s = new StringBuilder();
    s.append("# k5 nightly ").append(v.nightId()).append(": **").append(v.status().toUpperCase(Locale.ROOT))
        .append("**\n\n");
    s.append("candidate `").append(v.candidateDigest()).append("` vs baseline `").append(v.baseline()).append("`\n\n");
    if (!v.regressions().isEmpty()) {
      s.append("Regressions: ").append(String.join(", ", v.regressions())).append("\n\n");
    }
    for (Check ch : v.checks()) {
      s.append("- ").append(ch.regressed() ? "❌ " : "✅ ").append(ch.detail().replace("|", "/")).append('\n');
    }
    s.append('\n').append(MarkdownSummary.render(c, "candidate vs baseline"));
    return s.toString();
  }

  private static String section(Verdict v, List<History.Row> history) {
    StringBuilder h = new StringBuilder();
    h.append("<h2 id=\"verdict\">Nightly verdict: <span class=\"").append(Verdict.PASS.equals(v.status()) ? "win" : "loss")
        .append("\">").append(html(v.status())).append("</span></h2>\n<p>candidate <code>")
        .append(html(v.candidate())).append("</code> (").append(html(v.candidateDigest())).append(") vs baseline <code>")
        .append(html(v.baseline())).append("</code></p>\n");
    if (!v.regressions().isEmpty()) {
      h.append("<p id=\"regressions\">Regressions: <b>").append(html(String.join(", ", v.regressions())))
          .append("</b></p>\n");
    }
    h.append("<table id=\"checks\"><tr><th>metric</th><th>rule</th><th>result</th><th>detail</th></tr>\n");
    for (Check c : v.checks()) {
      h.append("<tr><td>").append(html(c.metric())).append("</td><td>").append(html(c.rule())).append("</td><td>")
          .append(c.regressed() ? "REGRESSION" : "ok").append("</td><td>").append(html(c.detail())).append("</td></tr>\n");
    }
    h.append("</table>\n<h3>Trends</h3>\n");
    for (String metric : new TreeSet<>(v.checks().stream().map(Check::metric).toList())) {
      Map<String, Double> values = new LinkedHashMap<>();
      Map<String, Boolean> regressed = new LinkedHashMap<>();
      for (History.Row r : history) {
        if (metric.equals(r.metric()) && !Double.isNaN(r.candidateMean())) {
          values.put(r.nightId(), r.candidateMean());
          regressed.merge(r.nightId(), r.regressed(), Boolean::logicalOr);
        }
      }
      if (values.isEmpty()) {
        continue;
      }
      List<String> nights = new ArrayList<>(values.keySet());
      h.append("<img class=\"chart\" alt=\"").append(html(metric)).append(" trend\" src=\"")
          .append(Charts.trend(metric, nights, nights.stream().map(values::get).toList(),
              nights.stream().map(regressed::get).toList()))
          .append("\">\n");
    }
    return h.toString();
  }

  /** Contact sheets of every scored video (wherever the store finds it), by prompt and run. */
  private static Map<String, Map<String, Thumbnail>> sheets(Comparison c, RunStore store) {
    Map<String, Map<String, Thumbnail>> m = new LinkedHashMap<>();
    for (RunTable r : c.runs()) {
      for (VideoScore v : r.videos()) {
        Thumbnail t = v.ok() ? ContactSheet.fromVideo(store, v.videoPath(), 6, 64) : null;
        if (t != null) {
          m.computeIfAbsent(v.promptId(), k -> new LinkedHashMap<>()).put(r.runId(), t);
        }
      }
    }
    return m;
  }
}
