package org.k5spark.eval.report;

import static org.k5spark.eval.report.Text.html;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.core.io.AtomicFiles;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.stats.Direction;
import org.k5spark.eval.stats.Group;
import org.k5spark.eval.stats.VbenchScores;

/**
 * The self-contained HTML report: one file, no external resources (charts and thumbnails are data
 * URIs), no scripts. Every string that came from a user (prompts, run ids, config values, paths) goes
 * through {@link Text#html}; configs through {@link Redactor}.
 */
public final class HtmlReport {
  private final Comparison cmp;
  private final Map<String, Map<String, Thumbnail>> thumbs;
  private final String title;
  private final int bestWorstK;

  /**
   * @param thumbnails prompt id → run id → contact sheet (may be empty; missing ones are just not shown)
   */
  public HtmlReport(Comparison comparison, Map<String, Map<String, Thumbnail>> thumbnails, String title, int bestWorstK) {
    this.cmp = comparison;
    this.thumbs = thumbnails == null ? Map.of() : thumbnails;
    this.title = title;
    this.bestWorstK = bestWorstK;
  }

  private final java.util.List<String> sections = new java.util.ArrayList<>();

  /**
   * Adds a section rendered right after the title (e.g. a nightly verdict with trend charts). The caller
   * owns its escaping: every user string in {@code html} must already have gone through {@link Text#html}.
   */
  public HtmlReport addSection(String html) {
    sections.add(html);
    return this;
  }

  public void write(Path file) throws IOException {
    AtomicFiles.writeAtomically(file, render());
  }

  public String render() {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data: file:; ")
        .append("style-src 'unsafe-inline'; media-src file: http: https:\">")
        .append("<title>").append(html(title)).append("</title><style>").append(CSS).append("</style></head><body>\n");
    h.append("<h1>").append(html(title)).append("</h1>\n<p class=\"meta\">Generated ").append(Instant.now())
        .append(" · percentile bootstrap, ").append(cmp.bootstrapResamples()).append(" resamples, seed ")
        .append(cmp.seed()).append(", ").append(Text.level(cmp.level())).append(" CI · win rate = (wins + ties/2)/n")
        .append(" · aggregation: ").append(html(org.k5spark.eval.compare.PromptMeans.RULE))
        .append(" (sample:&lt;metric&gt; rows pair (prompt, sample) where both runs share seeds)</p>\n");
    var mismatch = org.k5spark.eval.compare.Protocol.differences(cmp.runs());
    if (!mismatch.isEmpty()) { // only reachable with --allow-protocol-mismatch
      h.append("<p class=\"warn\" id=\"protocol-mismatch\"><b>Protocol mismatch</b>: the runs differ in ")
          .append(html(org.k5spark.eval.compare.Protocol.keys(mismatch)))
          .append(", not only in the checkpoint; differences below may come from the protocol.</p>\n");
    }
    sections.forEach(h::append);
    runs(h);
    vbench(h);
    for (PairComparison pc : cmp.pairs()) {
      pair(h, pc);
    }
    coverage(h);
    bestWorst(h);
    prompts(h);
    h.append("</body></html>\n");
    return h.toString();
  }

  private void runs(StringBuilder h) {
    h.append("<h2>Runs</h2>\n<table id=\"runs\"><tr><th>key</th>");
    for (RunTable r : cmp.runs()) {
      h.append("<th>").append(html(r.runId())).append("</th>");
    }
    h.append("</tr>\n");
    Set<String> keys = new LinkedHashSet<>();
    cmp.runs().forEach(r -> keys.addAll(r.config().keySet()));
    for (String k : keys) {
      h.append("<tr><td>").append(html(k)).append("</td>");
      for (RunTable r : cmp.runs()) {
        h.append("<td>").append(html(Redactor.value(k, r.config().get(k)))).append("</td>");
      }
      h.append("</tr>\n");
    }
    costRow(h, "videos", r -> String.valueOf(r.videos().size()));
    costRow(h, "failed videos", r -> String.valueOf(r.videos().stream().filter(v -> !v.ok()).count()));
    costRow(h, "GPU-seconds per video", r -> Text.num(r.gpuSecondsPerVideo() == null ? Double.NaN : r.gpuSecondsPerVideo()));
    costRow(h, "GPU-seconds total", r -> Text.num(r.videos().stream().filter(v -> v.gpuSeconds() != null)
        .mapToDouble(VideoScore::gpuSeconds).sum()));
    h.append("</table>\n");
    List<String> metrics = new ArrayList<>(metricNames());
    if (!metrics.isEmpty()) {
      h.append("<img class=\"chart\" alt=\"mean per metric\" src=\"").append(Charts.means(cmp.runs(), metrics))
          .append("\">\n");
    }
  }

  private void vbench(StringBuilder h) {
    List<Map<String, Double>> perRun = new ArrayList<>();
    boolean any = false;
    for (RunTable r : cmp.runs()) {
      Map<String, Double> scores = new LinkedHashMap<>();
      for (VbenchScores.Dim d : VbenchScores.DIMS) {
        double[] xs = r.videos().stream().map(v -> v.metric(d.name())).filter(v -> v != null && !v.isNaN())
            .mapToDouble(Double::doubleValue).toArray();
        if (xs.length > 0) {
          scores.put(d.name(), VbenchScores.dimensionScore(d.name(), xs));
          any = true;
        }
      }
      perRun.add(scores);
    }
    if (!any) {
      return;
    }
    h.append("<h2>VBench-style scores</h2>\n<p class=\"meta\">Dimension score (normalised with VBench's constants). ")
        .append("Not an official VBench score: prompts are not VBench's suite and estimators may be substitutes. ")
        .append("A group with a missing dimension gets no score (VBench would count it as 0).</p>\n")
        .append("<table id=\"vbench\"><tr><th>dimension</th>");
    cmp.runs().forEach(r -> h.append("<th>").append(html(r.runId())).append("</th>"));
    h.append("</tr>\n");
    for (VbenchScores.Dim d : VbenchScores.DIMS) {
      if (perRun.stream().noneMatch(m -> m.containsKey(d.name()))) {
        continue;
      }
      h.append("<tr><td>").append(d.name()).append("</td>");
      for (Map<String, Double> m : perRun) {
        Double v = m.get(d.name());
        h.append("<td>").append(v == null ? "n/a" : Text.num(v) + " (" + Text.num(d.normalise(v)) + ")").append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("<tr><td>Quality score</td>");
    for (Map<String, Double> m : perRun) {
      VbenchScores.GroupScore q = VbenchScores.quality(m);
      h.append("<td>").append(q.missing().isEmpty() ? Text.num(q.score())
          : "incomplete: missing " + html(String.join(", ", q.missing()))).append("</td>");
    }
    h.append("</tr>\n</table>\n");
  }

  private void costRow(StringBuilder h, String label, java.util.function.Function<RunTable, String> f) {
    h.append("<tr class=\"cost\"><td>").append(label).append("</td>");
    cmp.runs().forEach(r -> h.append("<td>").append(html(f.apply(r))).append("</td>"));
    h.append("</tr>\n");
  }

  private void pair(StringBuilder h, PairComparison pc) {
    String a = html(pc.runA());
    String b = html(pc.runB());
    h.append("<h2 class=\"pair\">").append(a).append(" vs ").append(b).append("</h2>\n<p>")
        .append(pc.prompts().size()).append(" paired prompts");
    if (pc.votes() > 0) {
      h.append(", ").append(pc.votes()).append(" human votes");
    }
    h.append(". Shares are from ").append(a).append("'s side.</p>\n");
    List<MetricRow> overall = pc.overall();
    h.append("<img class=\"chart\" alt=\"win tie loss\" src=\"").append(Charts.winTieLoss(pc.runA(), pc.runB(), overall))
        .append("\">\n");
    h.append("<table class=\"overall\"><tr><th>criterion</th><th>").append(a).append(" wins</th><th>tie</th><th>")
        .append(b).append(" wins</th><th>n</th><th>missing</th><th>win rate [CI]</th><th>mean ").append(a)
        .append("</th><th>mean ").append(b).append("</th><th>Δ mean [CI]</th><th>p Wilcoxon</th><th>p sign</th>")
        .append("<th>p permutation</th></tr>\n");
    for (MetricRow r : overall) {
      row(h, r.name(), r);
    }
    h.append("</table>\n");
    Set<String> names = new LinkedHashSet<>();
    pc.rows().forEach(r -> names.add(r.name()));
    for (String name : names) {
      List<MetricRow> rs = pc.rows(name).stream().filter(r -> !r.group().equals(Group.OVERALL)).toList();
      if (rs.isEmpty()) {
        continue;
      }
      h.append("<details><summary>").append(html(name)).append(" by concept and motion level</summary>\n")
          .append("<table class=\"breakdown\"><tr><th>group</th><th>").append(a).append(" wins</th><th>tie</th><th>")
          .append(b).append(" wins</th><th>n</th><th>missing</th><th>win rate [CI]</th><th>mean ").append(a)
          .append("</th><th>mean ").append(b).append("</th><th>Δ mean [CI]</th><th>p Wilcoxon</th><th>p sign</th>")
          .append("<th>p permutation</th></tr>\n");
      for (MetricRow r : rs) {
        row(h, r.group().toString(), r);
      }
      h.append("</table></details>\n");
    }
  }

  private static void row(StringBuilder h, String label, MetricRow r) {
    boolean directed = r.direction() != Direction.NONE;
    h.append("<tr><td>").append(html(label)).append(r.direction() == Direction.LOWER_IS_BETTER ? " ↓" : "")
        .append("</td><td>").append(directed ? Text.pct(r.wtl().winShare()) : "–")
        .append("</td><td>").append(directed ? Text.pct(r.wtl().tieShare()) : "–")
        .append("</td><td>").append(directed ? Text.pct(r.wtl().lossShare()) : "–")
        .append("</td><td>").append(r.n()).append("</td><td>").append(r.missing())
        .append("</td><td>").append(Text.ci(r.winRate())).append("</td><td>").append(Text.ci(r.meanA()))
        .append("</td><td>").append(Text.ci(r.meanB())).append("</td><td>").append(Text.ci(r.meanDiff()))
        .append("</td><td>").append(Text.p(r.wilcoxonP())).append("</td><td>").append(Text.p(r.signP()))
        .append("</td><td>").append(Text.p(r.permutationP())).append("</td></tr>\n");
  }

  private void coverage(StringBuilder h) {
    h.append("<h2>Coverage</h2>\n");
    if (cmp.partialPrompts().isEmpty()) {
      h.append("<p>Every prompt is present in every run.</p>\n");
    } else {
      h.append("<p>").append(cmp.partialPrompts().size())
          .append(" prompts are missing from some runs and are not part of the paired statistics:</p>\n")
          .append("<table id=\"unpaired\"><tr><th>prompt id</th><th>prompt</th><th>present in</th></tr>\n");
      Map<String, String> text = promptTexts();
      cmp.partialPrompts().forEach((id, in) -> h.append("<tr><td>").append(html(id)).append("</td><td>")
          .append(html(text.get(id))).append("</td><td>").append(html(String.join(", ", in))).append("</td></tr>\n"));
      h.append("</table>\n");
    }
    if (!cmp.failedVideos().isEmpty()) {
      h.append("<p>Failed videos (no metrics):</p>\n<table id=\"failed\"><tr><th>run</th><th>prompt id</th>")
          .append("<th>status</th></tr>\n");
      for (VideoScore v : cmp.failedVideos()) {
        h.append("<tr><td>").append(html(v.runId())).append("</td><td>").append(html(v.promptId())).append("</td><td>")
            .append(html(v.status())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
  }

  private void bestWorst(StringBuilder h) {
    h.append("<h2>Best and worst prompts per metric</h2>\n<table id=\"bestworst\"><tr><th>metric</th><th>run</th>")
        .append("<th>best</th><th>worst</th></tr>\n");
    for (String m : metricNames()) {
      for (RunTable r : cmp.runs()) {
        BestWorst bw = BestWorst.of(r, m, bestWorstK);
        if (bw.best().isEmpty()) {
          continue;
        }
        h.append("<tr><td>").append(html(m)).append("</td><td>").append(html(r.runId())).append("</td><td>");
        list(h, bw.best());
        h.append("</td><td>");
        list(h, bw.worst());
        h.append("</td></tr>\n");
      }
    }
    h.append("</table>\n");
  }

  private static void list(StringBuilder h, List<BestWorst.Entry> es) {
    for (BestWorst.Entry e : es) {
      // long MovieGen prompts would drown the table: abbreviated here, full text in the tooltip and the prompt table
      h.append("<div>").append(html(e.promptId())).append(": ").append(Text.num(e.value())).append(" — <span title=\"")
          .append(html(e.prompt())).append("\">").append(html(Text.abbreviate(e.prompt(), 140))).append("</span></div>");
    }
  }

  private void prompts(StringBuilder h) {
    h.append("<h2>Prompts</h2>\n<table id=\"prompts\"><tr><th>id</th><th>prompt</th><th>concepts</th><th>motion</th>");
    cmp.runs().forEach(r -> h.append("<th>").append(html(r.runId())).append("</th>"));
    h.append("</tr>\n");
    Map<String, Map<String, List<VideoScore>>> all = new LinkedHashMap<>();
    for (RunTable r : cmp.runs()) {
      r.byPrompt().forEach((id, vs) -> all.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(r.runId(), vs));
    }
    Set<String> metrics = metricNames();
    for (Map.Entry<String, Map<String, List<VideoScore>>> e : all.entrySet()) {
      VideoScore first = e.getValue().values().iterator().next().get(0);
      h.append("<tr class=\"prompt-row\" data-prompt-id=\"").append(html(e.getKey())).append("\"><td>")
          .append(html(e.getKey())).append("</td><td class=\"pt\">").append(html(first.prompt())).append("</td><td>")
          .append(html(String.join(", ", first.concepts()))).append("</td><td>").append(html(first.motionLevel()))
          .append("</td>");
      for (RunTable r : cmp.runs()) {
        List<VideoScore> vs = e.getValue().get(r.runId());
        h.append("<td>");
        if (vs == null) {
          h.append("<em>absent</em>");
        } else {
          Thumbnail t = thumbs.getOrDefault(e.getKey(), Map.of()).get(r.runId());
          if (t != null) {
            h.append("<img class=\"thumb\" alt=\"contact sheet\" src=\"").append(t.dataUri()).append("\"><br>");
          }
          for (VideoScore v : vs) {
            h.append("<a href=\"").append(html(Text.href(v.videoPath()))).append("\">video")
                .append(v.seed() == null ? "" : " seed " + v.seed()).append("</a>");
            if (!v.ok()) {
              h.append(" <b>").append(html(v.status())).append("</b>");
            }
            h.append("<br>");
          }
          for (String m : metrics) {
            Double d = RunTable.promptValue(vs, m);
            h.append("<span class=\"mv\">").append(html(m)).append(" ").append(d == null ? "n/a" : Text.num(d))
                .append("</span><br>");
          }
        }
        h.append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private Set<String> metricNames() {
    Set<String> s = new LinkedHashSet<>();
    cmp.runs().forEach(r -> s.addAll(r.metricNames()));
    return s;
  }

  private Map<String, String> promptTexts() {
    Map<String, String> m = new LinkedHashMap<>();
    cmp.runs().forEach(r -> r.videos().forEach(v -> m.putIfAbsent(v.promptId(), v.prompt())));
    return m;
  }

  private static final String CSS = "body{font-family:sans-serif;margin:1.5em;color:#222}"
      + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 6px;"
      + "vertical-align:top;font-size:13px}th{background:#f3f3f3}.meta{color:#666;font-size:12px}"
      + ".chart{display:block;max-width:100%}.thumb{max-width:320px}.pt{white-space:pre-wrap}.mv{font-size:11px;color:#555}"
      + "details{margin:.3em 0}";
}
