package org.k5spark.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.eval.compare.Fixtures;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.sbs.SbsKey;
import picocli.CommandLine;

class CommandsTest {
  @TempDir
  Path tmp;

  private Path[] csvs() throws Exception {
    List<RunTable> runs = Fixtures.twoRuns();
    Path a = tmp.resolve("a.csv");
    Path b = tmp.resolve("b.csv");
    MetricsCsv.write(runs.get(0), a);
    MetricsCsv.write(runs.get(1), b);
    return new Path[] {a, b};
  }

  @Test
  void sbsThenCompareWithVotesThenReport() throws Exception {
    Path[] f = csvs();
    Path sbs = tmp.resolve("sbs");
    assertEquals(0, new CommandLine(new SbsCommand()).execute("--run", "A=" + f[0], "--run", "B=" + f[1], "--seed", "3",
        "--out", sbs.toString()));
    SbsKey key = SbsKey.read(sbs.resolve("sbs-key.json"));
    assertTrue(Files.readString(sbs.resolve("index.html")).contains("data-item=\"i4\""));
    // a voter preferred the left video on visual quality for every item
    StringBuilder votes = new StringBuilder("page_id,voter,item,prompt_id,question,choice,time\n");
    key.items().forEach(i -> votes.append(key.pageId()).append(",v,").append(i.item()).append(',').append(i.promptId())
        .append(",visual_quality,left,t\n"));
    Path votesFile = tmp.resolve("votes.csv");
    Files.writeString(votesFile, votes);
    long leftIsA = key.items().stream().filter(i -> i.left().equals("A")).count();

    Path out = tmp.resolve("cmp");
    // the fixture's runs differ in steps (sft 50 vs distilled): a protocol mismatch, compared on purpose
    assertEquals(0, new CommandLine(new CompareCommand()).execute("--run", "A=" + f[0], "--run", "B=" + f[1],
        "--allow-protocol-mismatch", "--votes", votesFile.toString(), "--sbs-key", sbs.resolve("sbs-key.json").toString(), "--resamples", "500",
        "--tie-margin", "aesthetic_quality=0.12", "--out", out.toString()));
    JsonNode root = new ObjectMapper().readTree(out.resolve("comparison.json").toFile());
    JsonNode pair = root.get("pairs").get(0);
    assertEquals("[\"p1\"]", pair.get("only_in_a").toString());
    assertEquals(4, pair.get("votes").asInt());
    boolean sawHuman = false;
    for (JsonNode row : pair.get("rows")) {
      if (row.get("name").asText().equals("human:visual_quality") && row.get("group").get("kind").asText().equals("OVERALL")) {
        assertEquals(leftIsA, row.get("wtl").get("wins").asLong());
        assertEquals(4 - leftIsA, row.get("wtl").get("losses").asLong());
        sawHuman = true;
      }
      if (row.get("name").asText().equals("aesthetic_quality") && row.get("group").get("kind").asText().equals("OVERALL")) {
        assertEquals(3, row.get("wtl").get("ties").asInt(), "--tie-margin 0.12 turns small differences into ties");
      }
    }
    assertTrue(sawHuman);
    String json = Files.readString(out.resolve("comparison.json"));
    assertFalse(json.contains("SUPERSECRET123") || json.contains("hf_TOPSECRET"));
    assertTrue(Files.readString(out.resolve("summary.md")).contains("human:visual\\_quality"));
    // rows.csv: one record per row of comparison.json; the aesthetic OVERALL row by hand: shared p2..p5,
    // A 0.60 0.55 0.40 0.30 vs B 0.50 0.50 0.405 0.45, diffs +0.10 +0.05 -0.005 -0.15 at margin 0.12 -> 0/3/1,
    // win rate (0 + 3/2)/4 = 0.375, means 0.4625 and 0.46375, mean diff -0.00125
    List<org.apache.commons.csv.CSVRecord> rows;
    try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
        .parse(Files.newBufferedReader(out.resolve("rows.csv")))) {
      rows = parser.getRecords();
    }
    assertEquals(pair.get("rows").size(), rows.size());
    List<org.apache.commons.csv.CSVRecord> aesthetic = rows.stream()
        .filter(r -> r.get("name").equals("aesthetic_quality") && r.get("group_kind").equals("OVERALL")).toList();
    assertEquals(1, aesthetic.size());
    org.apache.commons.csv.CSVRecord row = aesthetic.get(0);
    assertEquals(List.of("A", "B", "4", "0", "3", "1"), List.of(row.get("run_a"), row.get("run_b"), row.get("n"),
        row.get("wins"), row.get("ties"), row.get("losses")));
    assertEquals(0.375, Double.parseDouble(row.get("win_rate")), 1e-12);
    assertEquals(0.4625, Double.parseDouble(row.get("mean_a")), 1e-12);
    assertEquals(0.46375, Double.parseDouble(row.get("mean_b")), 1e-12);
    assertEquals(-0.00125, Double.parseDouble(row.get("mean_diff")), 1e-12);

    Path thumbs = tmp.resolve("thumbs/B");
    Files.createDirectories(thumbs);
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "jpg", thumbs.resolve("p3.jpg").toFile());
    Path rep = tmp.resolve("rep");
    assertEquals(0, new CommandLine(new ReportCommand()).execute("--run", "A=" + f[0], "--run", "B=" + f[1],
        "--allow-protocol-mismatch", "--thumbs", tmp.resolve("thumbs").toString(), "--resamples", "200", "--out", rep.toString()));
    String html = Files.readString(rep.resolve("report.html"));
    assertTrue(html.contains("data:image/jpeg;base64,"));
    assertTrue(Files.exists(rep.resolve("summary.md")));
  }

  @Test
  void badInputFailsWithAMessage() throws Exception {
    Path[] f = csvs();
    CommandLine cl = new CommandLine(new CompareCommand());
    java.io.StringWriter err = new java.io.StringWriter();
    cl.setErr(new java.io.PrintWriter(err));
    int rc = cl.execute("--run", "A=" + f[0], "--run", "B=" + tmp.resolve("missing.csv"), "--out", tmp.toString());
    // one line naming the location, no stack trace, exit REFUSED (RunStoreCommandsTest covers the other inputs)
    assertEquals(org.k5spark.core.cli.ExitCode.REFUSED, rc, err.toString());
    assertEquals("k5 compare: file:" + tmp.resolve("missing.csv") + ": no such file or run directory\n",
        err.toString());
  }
}
