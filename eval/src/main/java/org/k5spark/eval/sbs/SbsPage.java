package org.k5spark.eval.sbs;

import static org.k5spark.eval.report.Text.html;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.Vote;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.report.Text;
import org.k5spark.eval.store.RunStore;

/**
 * Writes a static, blinded side-by-side voting page for two runs: {@code index.html} (one item per
 * prompt present in both runs, in run A's prompt order; left/right drawn per item from
 * {@code SplittableRandom(seed)}; run names never appear) and {@code sbs-key.json} (the unblinding key,
 * see {@link SbsKey}). Votes live in the browser's localStorage and are exported as JSON or CSV for
 * {@link SbsVotes}.
 *
 * <p>Without {@code copyVideos} video paths are linked as given (absolute paths become file:// URIs), so the
 * page is blind only if the paths are: a run's own directory ({@code k5-out/seed42/videos/…}) tells the runs
 * apart. With {@code copyVideos} every video is copied from wherever it lives (any Hadoop filesystem: file:,
 * s3a:, hdfs:) next to the page as {@code videos/<item>-left.mp4} / {@code -right.mp4}: item numbers and
 * sides are the only names on the page, and neither depends on the run.
 */
public final class SbsPage {
  private static final String SCRIPT = resource("sbs.js");

  private SbsPage() {
  }

  /** The page in a local directory (videos read through a store on the default Hadoop configuration). */
  public static SbsKey write(RunTable a, RunTable b, long seed, String title, boolean copyVideos, Path outDir)
      throws IOException {
    RunStore store = RunStore.withConf(Map.of());
    return write(a, b, seed, title, copyVideos, store, store.location(outDir.toAbsolutePath().toString()),
        new ArrayList<>());
  }

  /**
   * Writes the page and its key under {@code outDir} (any store location).
   *
   * @param uncopied receives, with {@code copyVideos}, the videos that could not be read: their side of the pair
   *     gets no video (never the source path, which would unblind the page)
   */
  public static SbsKey write(RunTable a, RunTable b, long seed, String title, boolean copyVideos, RunStore store,
      org.apache.hadoop.fs.Path outDir, List<String> uncopied) throws IOException {
    Map<String, List<VideoScore>> pa = a.byPrompt();
    Map<String, List<VideoScore>> pb = b.byPrompt();
    SplittableRandom rnd = new SplittableRandom(seed);
    List<SbsKey.Item> items = new ArrayList<>();
    List<String> unpaired = new ArrayList<>();
    pa.keySet().stream().filter(k -> !pb.containsKey(k)).forEach(unpaired::add);
    pb.keySet().stream().filter(k -> !pa.containsKey(k)).forEach(unpaired::add);
    StringBuilder body = new StringBuilder();
    int n = 0;
    for (Map.Entry<String, List<VideoScore>> e : pa.entrySet()) {
      List<VideoScore> vb = pb.get(e.getKey());
      if (vb == null) {
        continue;
      }
      String item = "i" + (++n);
      boolean aLeft = rnd.nextBoolean();
      VideoScore left = aLeft ? e.getValue().get(0) : vb.get(0);
      VideoScore right = aLeft ? vb.get(0) : e.getValue().get(0);
      items.add(new SbsKey.Item(item, e.getKey(), aLeft ? a.runId() : b.runId(), aLeft ? b.runId() : a.runId()));
      String srcL = videoSrc(left, item + "-left", copyVideos, store, outDir, uncopied);
      String srcR = videoSrc(right, item + "-right", copyVideos, store, outDir, uncopied);
      item(body, item, e.getValue().get(0), srcL, srcR);
    }
    String pageId = pageId(seed, a.runId(), b.runId(), items);
    SbsKey key = new SbsKey(SbsKey.FORMAT, pageId, seed, a.runId(), b.runId(), items, unpaired);
    store.write(new org.apache.hadoop.fs.Path(outDir, "index.html"), page(title, pageId, body, items.size()));
    store.write(new org.apache.hadoop.fs.Path(outDir, "sbs-key.json"), key.toJson());
    return key;
  }

  private static void item(StringBuilder h, String item, VideoScore v, String srcL, String srcR) {
    h.append("<section class=\"item\" data-item=\"").append(item).append("\" data-prompt-id=\"")
        .append(html(v.promptId())).append("\">\n<h2>").append(item).append(" · ").append(html(v.promptId()))
        .append("</h2>\n<p class=\"prompt\">").append(html(v.prompt())).append("</p>\n<div class=\"pair\">")
        .append("<figure><video controls loop muted preload=\"metadata\" src=\"").append(html(srcL))
        .append("\"></video><figcaption>Left</figcaption></figure>")
        .append("<figure><video controls loop muted preload=\"metadata\" src=\"").append(html(srcR))
        .append("\"></video><figcaption>Right</figcaption></figure></div>\n<table class=\"q\">");
    for (String q : Vote.QUESTIONS) {
      h.append("<tr><th>").append(label(q)).append("</th>");
      for (String[] c : new String[][] {{"left", "Left better"}, {"tie", "Tie"}, {"right", "Right better"}}) {
        h.append("<td><button type=\"button\" class=\"vote\" data-item=\"").append(item).append("\" data-question=\"")
            .append(q).append("\" data-choice=\"").append(c[0]).append("\">").append(c[1]).append("</button></td>");
      }
      h.append("</tr>");
    }
    h.append("</table>\n</section>\n");
  }

  private static String label(String q) {
    return switch (q) {
      case "visual_quality" -> "Visual quality";
      case "motion_dynamics" -> "Motion dynamics";
      case "prompt_following" -> "Prompt following";
      default -> html(q);
    };
  }

  private static String page(String title, String pageId, StringBuilder items, int count) {
    String hash = "sha256-" + Base64.getEncoder().encodeToString(sha256(SCRIPT.getBytes(StandardCharsets.UTF_8)));
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        // only the generator's own script may run: an escaping bug could not execute injected code
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '" + hash + "'; "
        + "style-src 'unsafe-inline'; media-src file: http: https: data:; img-src data:\">"
        + "<title>" + html(title) + "</title><style>" + CSS + "</style></head>\n"
        + "<body data-page-id=\"" + pageId + "\" data-questions=\"" + String.join(",", Vote.QUESTIONS) + "\">\n"
        + "<header><h1>" + html(title) + "</h1><p>" + count + " pairs. For each question pick the better side "
        + "or Tie; click again to withdraw. Votes are kept in this browser until exported.</p>"
        + "<label>Your name <input id=\"voter\" type=\"text\" autocomplete=\"off\"></label> "
        + "<span id=\"progress\"></span></header>\n"
        + items
        + "<footer><button type=\"button\" id=\"export-json\">Export JSON</button> "
        + "<button type=\"button\" id=\"export-csv\">Export CSV</button> "
        + "<a id=\"download\" style=\"display:none\" href=\"#\">Download</a> "
        + "<button type=\"button\" id=\"clear\">Clear votes</button><br>"
        + "<textarea id=\"export\" rows=\"8\" cols=\"100\" readonly></textarea></footer>\n"
        + "<script>" + SCRIPT + "</script>\n</body></html>\n";
  }

  /**
   * The video's src on the page. Copied: {@code videos/<item>-<side>.mp4}, whatever the source was called (a
   * failed video, which has no file, gets no src). Not copied: the path as given.
   */
  private static String videoSrc(VideoScore v, String name, boolean copy, RunStore store,
      org.apache.hadoop.fs.Path outDir, List<String> uncopied) throws IOException {
    String p = v.videoPath();
    if (!copy) {
      return Text.href(p);
    }
    if (p == null || p.isBlank() || !v.ok()) {
      return "#";
    }
    // only the ".mp4" survives of the source name: anything else could carry the run's name
    String ext = p.toLowerCase(java.util.Locale.ROOT).endsWith(".mp4") ? ".mp4" : "";
    String file = name + ext;
    org.apache.hadoop.fs.Path src;
    try {
      src = store.location(p);
      if (!store.isFile(src)) {
        uncopied.add(p);
        return "#";
      }
    } catch (org.k5spark.eval.store.RunStoreException e) {
      uncopied.add(p);
      return "#";
    }
    store.copy(src, new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(outDir, "videos"), file));
    return "videos/" + file;
  }

  private static String pageId(long seed, String a, String b, List<SbsKey.Item> items) {
    StringBuilder s = new StringBuilder().append(seed).append('\0').append(a).append('\0').append(b);
    items.forEach(i -> s.append('\0').append(i.promptId()).append(i.left()));
    return HexFormat.of().formatHex(sha256(s.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = SbsPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String CSS = "body{font-family:sans-serif;margin:1em;color:#222}.item{border-top:1px solid #ccc;"
      + "padding:.5em 0}.prompt{white-space:pre-wrap;max-width:60em}.pair{display:flex;gap:1em}figure{margin:0}"
      + "video{width:min(45vw,640px);background:#000}button.vote{padding:4px 10px}button.selected{background:#2e7d32;"
      + "color:#fff}table.q th{text-align:left;padding-right:1em}footer{margin-top:1em}";
}
