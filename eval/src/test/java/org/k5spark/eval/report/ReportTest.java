package org.k5spark.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.eval.compare.CompareRuns;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.Fixtures;
import org.k5spark.eval.compare.Vote;
import org.k5spark.eval.stats.Outcome;

class ReportTest {
  @TempDir
  Path tmp;

  static Comparison comparison() {
    return CompareRuns.defaults().compare(Fixtures.twoRuns(),
        List.of(new Vote("p2", "visual_quality", "A", "B", Outcome.WIN, "v")));
  }

  static Map<String, Map<String, Thumbnail>> thumbs() {
    BufferedImage img = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, Color.RED.getRGB());
    return Map.of("p2", Map.of("A", Thumbnail.of(img)));
  }

  @Test
  void htmlIsSelfContainedEscapedAndRedacted() throws Exception {
    Path f = tmp.resolve("report.html");
    new HtmlReport(comparison(), thumbs(), "Nightly <b>A</b> vs B", 2).write(f);
    String h = Files.readString(f, StandardCharsets.UTF_8);
    assertFalse(h.contains("<script"), "no script element at all, and the prompt's tag is escaped");
    assertTrue(h.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assertTrue(h.contains("Nightly &lt;b&gt;A&lt;/b&gt; vs B"));
    assertFalse(h.contains("SUPERSECRET123") || h.contains("hf_TOPSECRET"), "credentials never appear");
    assertTrue(h.contains("k5-lite-distilled") && h.contains(Redactor.REDACTED));
    for (String id : List.of("p1", "p2", "p3", "p4", "p5", "p6")) {
      assertTrue(h.contains("data-prompt-id=\"" + id + "\""), id);
    }
    assertEquals(6, count(h, "class=\"prompt-row\""));
    assertTrue(h.contains("<table id=\"unpaired\">"));
    assertTrue(h.contains("href=\"videos/A/p2.mp4\""));
    // embedded thumbnail decodes back to the PNG we gave
    Matcher m = Pattern.compile("class=\"thumb\" alt=\"contact sheet\" src=\"data:image/png;base64,([^\"]+)\"").matcher(h);
    assertTrue(m.find());
    BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    assertEquals(Color.RED.getRGB(), back.getRGB(1, 1));
    // charts: SVG documents with the criteria as labels
    Matcher c = Pattern.compile("src=\"data:image/svg\\+xml;base64,([^\"]+)\"").matcher(h);
    assertTrue(c.find());
    String svg1 = new String(Base64.getDecoder().decode(c.group(1)), StandardCharsets.UTF_8);
    assertTrue(svg1.contains("<svg") && svg1.contains("aesthetic_quality"));
    assertTrue(c.find());
    String svg2 = new String(Base64.getDecoder().decode(c.group(1)), StandardCharsets.UTF_8);
    assertTrue(svg2.contains("human:visual_quality") && svg2.contains("A wins"), "SBS-shaped chart");
    // VBench-style table: aesthetic_quality means over ok videos, quality score incomplete without the other dims
    assertTrue(h.contains("<tr><td>aesthetic_quality</td><td>0.4700 (0.4700)</td><td>0.5110 (0.5110)</td></tr>"), h);
    assertTrue(h.contains("incomplete: missing subject_consistency, background_consistency"));
    // cost
    assertTrue(h.contains("GPU-seconds per video</td><td>10.0000</td><td>10.0000</td>"));
  }

  @Test
  void markdownSummary() {
    String md = MarkdownSummary.render(comparison(), "CI | <img src=x onerror=alert(1)>");
    assertTrue(md.startsWith("## CI \\| &lt;img src=x onerror=alert(1)&gt;\n"), md);
    // aesthetic_quality: A 2 wins, 1 tie, 1 loss over 4 paired prompts
    assertTrue(md.contains("| aesthetic\\_quality | 50.0% | 25.0% | 25.0% | 4 | 0.6250 ["), md);
    assertTrue(md.contains("| human:visual\\_quality | 100.0% | 0.0% | 0.0% | 1 |"), md);
    assertTrue(md.contains("Unpaired prompts: only in A: p1; only in B: p6"), md);
    assertFalse(md.contains("brightness"), "descriptive metrics carry no verdict");
  }

  @Test
  void redactorAndHrefs() {
    assertEquals(Redactor.REDACTED, Redactor.value("fs.s3a.access.key", "AKIA"));
    assertEquals(Redactor.REDACTED, Redactor.value("DB_PASSWORD", "x"));
    assertEquals(Redactor.REDACTED, Redactor.value("hf_token", "x"));
    assertEquals("s3a://[redacted]@bucket/x", Redactor.value("uri", "s3a://AK:SK@bucket/x"));
    assertEquals("50", Redactor.value("steps", "50"));
    assertEquals("#", Text.safeHref("javascript:alert(1)"));
    assertEquals("#", Text.safeHref("data:text/html,hi"));
    assertEquals("s3a://b/v.mp4", Text.href("s3a://b/v.mp4"));
    assertEquals("file:///tmp/a%20b.mp4", Text.href("/tmp/a b.mp4"));
    assertEquals("v/a%20b.mp4", Text.href("v/a b.mp4"));
  }

  private static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
      n++;
    }
    return n;
  }
}
