package org.k5spark.eval.sbs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.eval.BrowserExtension;
import org.k5spark.eval.compare.CompareRuns;
import org.k5spark.eval.compare.Fixtures;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.compare.Vote;
import org.k5spark.eval.stats.Group;
import org.k5spark.eval.stats.Outcome;
import org.k5spark.eval.stats.WinTieLoss;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.support.ui.WebDriverWait;

class SbsPageBrowserTest {
  static final String RUN_A = "runAlphaX";
  static final String RUN_B = "runBetaY";
  @RegisterExtension
  static final BrowserExtension session = new BrowserExtension();

  @TempDir
  Path tmp;

  /** Fixture runs renamed; p2 gets real tiny H.264 videos, the rest point at files that do not exist. */
  List<RunTable> runs() throws Exception {
    List<RunTable> two = Fixtures.twoRuns();
    List<RunTable> out = new ArrayList<>();
    String[] names = {RUN_A, RUN_B};
    Color[] colors = {Color.RED, Color.BLUE};
    for (int r = 0; r < 2; r++) {
      Path mp4 = tmp.resolve("src" + r + "/p2.mp4");
      writeMp4(mp4, colors[r]);
      List<VideoScore> vs = new ArrayList<>();
      for (VideoScore v : two.get(r).videos()) {
        String path = v.promptId().equals("p2") ? mp4.toString() : "/nonexistent/" + r + "/" + v.promptId() + ".mp4";
        vs.add(new VideoScore(names[r], v.promptId(), v.prompt(), v.concepts(), v.motionLevel(), v.seed(), v.status(),
            path, v.metrics(), v.gpuSeconds()));
      }
      out.add(new RunTable(names[r], Map.of(), vs));
    }
    return out;
  }

  static void writeMp4(Path file, Color color) throws Exception {
    Files.createDirectories(file.getParent());
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 64, 48, 0);
         Java2DFrameConverter conv = new Java2DFrameConverter()) {
      rec.setFormat("mp4");
      rec.setVideoCodecName("libx264");
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(8);
      rec.start();
      for (int i = 0; i < 8; i++) {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(i * 4, 0, 16, 48);
        g.dispose();
        rec.record(conv.convert(img));
      }
      rec.stop();
    }
  }

  private void click(String item, String question, String choice) {
    session.browser().driver().findElement(By.cssSelector("button.vote[data-item='" + item + "'][data-question='" + question
        + "'][data-choice='" + choice + "']")).click();
  }

  @Test
  void votingExportAndIngestion() throws Exception {
    Path dir = tmp.resolve("sbs");
    List<RunTable> runs = runs();
    SbsKey key = SbsPage.write(runs.get(0), runs.get(1), 7L, "SBS <b>test</b>", true, dir);
    assertEquals(List.of("p2", "p3", "p4", "p5"), key.items().stream().map(SbsKey.Item::promptId).toList());
    assertEquals(List.of("p1", "p6"), key.unpaired());
    String source = Files.readString(dir.resolve("index.html"));
    assertFalse(source.contains(RUN_A) || source.contains(RUN_B) || source.contains("src0") || source.contains("src1"),
        "the page is blind: no run names, no revealing paths");
    // p2 (item i1) has real files: the copies are byte for byte the clips of the runs the key puts left and right
    SbsKey.Item i1 = key.byItem().get("i1");
    assertEquals("p2", i1.promptId());
    assertArrayEquals(Files.readAllBytes(tmp.resolve((i1.left().equals(RUN_A) ? "src0" : "src1") + "/p2.mp4")),
        Files.readAllBytes(dir.resolve("videos/i1-left.mp4")));
    assertArrayEquals(Files.readAllBytes(tmp.resolve((i1.right().equals(RUN_A) ? "src0" : "src1") + "/p2.mp4")),
        Files.readAllBytes(dir.resolve("videos/i1-right.mp4")));
    assertNotEquals(i1.left(), i1.right());

    session.browser().open(dir.resolve("index.html"));
    var d = session.browser().driver();
    assertEquals(4, d.findElements(By.cssSelector("section.item")).size());
    assertEquals("<script>window.__pwned=1</script> & \"quotes\"",
        d.findElement(By.cssSelector("section.item[data-prompt-id='p4'] p.prompt")).getText());
    assertEquals("undefined", session.browser().js("return typeof window.__pwned"));
    assertThrows(NoAlertPresentException.class, () -> d.switchTo().alert());
    // the copied H.264 clip actually decodes in Chromium; a missing file must not break the page
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> ((Number) session.browser().js(
        "return document.querySelector(\"section[data-item='i1'] video\").readyState")).intValue() >= 1);
    assertEquals(64L, session.browser().js("return document.querySelector(\"section[data-item='i1'] video\").videoWidth"));
    assertEquals("0 / 12 answered", d.findElement(By.id("progress")).getText());

    d.findElement(By.id("voter")).sendKeys("ann, \"qa\"");
    click("i1", "visual_quality", "left");
    click("i1", "motion_dynamics", "tie");
    click("i1", "prompt_following", "right");
    click("i2", "visual_quality", "right");
    click("i3", "visual_quality", "left");
    click("i3", "visual_quality", "left"); // second click withdraws
    click("i4", "prompt_following", "left");
    assertEquals("5 / 12 answered", d.findElement(By.id("progress")).getText());

    // votes survive a reload (localStorage)
    d.navigate().refresh();
    assertEquals("5 / 12 answered", d.findElement(By.id("progress")).getText());
    assertEquals("true", d.findElement(By.cssSelector(
        "button.vote[data-item='i1'][data-question='motion_dynamics'][data-choice='tie']")).getAttribute("aria-pressed"));

    d.findElement(By.id("export-json")).click();
    String json = (String) session.browser().js("return document.getElementById('export').value");
    JsonNode root = new ObjectMapper().readTree(json);
    assertEquals(key.pageId(), root.get("page_id").asText());
    assertEquals("ann, \"qa\"", root.get("voter").asText());
    List<String> got = new ArrayList<>();
    root.get("votes").forEach(v -> got.add(v.get("item").asText() + "/" + v.get("prompt_id").asText() + "/"
        + v.get("question").asText() + "/" + v.get("choice").asText()));
    assertEquals(List.of("i1/p2/visual_quality/left", "i1/p2/motion_dynamics/tie", "i1/p2/prompt_following/right",
        "i2/p3/visual_quality/right", "i4/p5/prompt_following/left"), got);
    // the download link carries exactly the exported text
    String href = d.findElement(By.id("download")).getAttribute("href");
    String prefix = "data:application/json;charset=utf-8,";
    assertTrue(href.startsWith(prefix), href);
    assertEquals(json, java.net.URLDecoder.decode(href.substring(prefix.length()), StandardCharsets.UTF_8));
    Path jsonFile = tmp.resolve("votes.json");
    Files.writeString(jsonFile, json, StandardCharsets.UTF_8);

    d.findElement(By.id("export-csv")).click();
    String csv = (String) session.browser().js("return document.getElementById('export').value");
    String[] lines = csv.split("\n");
    assertEquals("page_id,voter,item,prompt_id,question,choice,time", lines[0]);
    assertEquals(6, lines.length);
    String head = key.pageId() + ",\"ann, \"\"qa\"\"\",i1,p2,visual_quality,left,";
    assertTrue(lines[1].startsWith(head), lines[1]);
    // the last field is the click's new Date().toISOString(): a real instant, not an empty or made-up field
    java.time.Instant clicked = java.time.Instant.parse(lines[1].substring(head.length()));
    assertTrue(Math.abs(java.time.Duration.between(clicked, java.time.Instant.now()).toMinutes()) < 10, lines[1]);
    Path csvFile = tmp.resolve("votes.csv");
    Files.writeString(csvFile, csv, StandardCharsets.UTF_8);

    // unblind with the key: "left" is a win for whichever run the key put on the left
    List<Vote> votes = SbsVotes.read(jsonFile, key);
    assertEquals(votes, SbsVotes.read(csvFile, key));
    Map<String, SbsKey.Item> byItem = key.byItem();
    Vote first = votes.get(0);
    assertEquals(byItem.get("i1").left(), first.runA());
    assertEquals(Outcome.WIN, first.outcome());
    assertEquals("ann, \"qa\"", first.voter());

    PairComparison pc = CompareRuns.defaults().compare(runs, votes).pairs().get(0);
    assertEquals(5, pc.votes());
    // expected from A's side, computed from the key independently of SbsVotes
    List<Outcome> vq = new ArrayList<>();
    vq.add(byItem.get("i1").left().equals(RUN_A) ? Outcome.WIN : Outcome.LOSS);
    vq.add(byItem.get("i2").right().equals(RUN_A) ? Outcome.WIN : Outcome.LOSS);
    MetricRow row = pc.row("human:visual_quality", Group.OVERALL);
    assertEquals(WinTieLoss.of(vq), row.wtl());
    assertEquals(new WinTieLoss(0, 1, 0), pc.row("human:motion_dynamics", Group.OVERALL).wtl());
    assertEquals(2, pc.row("human:prompt_following", Group.OVERALL).n());
  }

  @Test
  void leftRightIsSeededAndMismatchedVotesAreRejected() throws Exception {
    List<RunTable> r = runs();
    SbsKey k1 = SbsPage.write(r.get(0), r.get(1), 7L, "t", false, tmp.resolve("a"));
    SbsKey k2 = SbsPage.write(r.get(0), r.get(1), 7L, "t", false, tmp.resolve("b"));
    SbsKey k3 = SbsPage.write(r.get(0), r.get(1), 8L, "t", false, tmp.resolve("c"));
    assertEquals(k1, k2);
    // one SplittableRandom(seed).nextBoolean() per paired prompt, in order: true puts A on the left. Drawn here
    // independently, so a page that ignored its seed (or drew differently) puts other runs on the left
    assertEquals(expectedLeft(7L, 4), k1.items().stream().map(SbsKey.Item::left).toList());
    assertEquals(expectedLeft(8L, 4), k3.items().stream().map(SbsKey.Item::left).toList());
    assertNotEquals(expectedLeft(7L, 4), expectedLeft(8L, 4), "seeds 7 and 8 must differ for this check to mean anything");
    assertNotEquals(k1.pageId(), k3.pageId());
    assertEquals(k1, SbsKey.read(tmp.resolve("a/sbs-key.json")));
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"format\":\"k5-sbs-votes/1\",\"page_id\":\"" + k1.pageId()
        + "\",\"votes\":[{\"item\":\"i9\",\"question\":\"visual_quality\",\"choice\":\"left\"}]}");
    var e = assertThrows(java.io.IOException.class, () -> SbsVotes.read(bad, k1));
    assertEquals(bad + " votes[0]: unknown item 'i9'", e.getMessage());
    var e2 = assertThrows(java.io.IOException.class, () -> SbsVotes.read(bad, k3));
    assertEquals(bad + ": votes are for page '" + k1.pageId() + "' but the key is for page '" + k3.pageId() + "'",
        e2.getMessage());
  }

  private static List<String> expectedLeft(long seed, int items) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    List<String> left = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      left.add(rnd.nextBoolean() ? RUN_A : RUN_B);
    }
    return left;
  }
}
