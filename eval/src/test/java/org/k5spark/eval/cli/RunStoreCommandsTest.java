package org.k5spark.eval.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.eval.compare.Fixtures;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.sbs.SbsKey;
import picocli.CommandLine;

/** compare / report / sbs / fidelity on run directories through the run store (file: runs; s3a in jobs' demo IT). */
class RunStoreCommandsTest {
  @TempDir Path tmp;

  private Path[] runDirs() throws Exception {
    List<RunTable> runs = Fixtures.twoRuns();
    return new Path[] {RunDirs.write(tmp.resolve("k5-out/runSeed42"), runs.get(0), 0),
        RunDirs.write(tmp.resolve("k5-out/runSeed7"), runs.get(1), 40)};
  }

  /** Runs a command; returns {exit code, stdout, stderr}. */
  private static Object[] exec(Callable<Integer> cmd, String... args) {
    CommandLine cl = new CommandLine(cmd);
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int rc = cl.execute(args);
      return new Object[] {rc, out.toString(StandardCharsets.UTF_8), err.toString()};
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void sbsWithCopiedVideosIsBlindOnFileRuns() throws Exception {
    Path[] runs = runDirs();
    Path sbs = tmp.resolve("sbs");
    Object[] r = exec(new SbsCommand(), "--copy-videos", "--run", "labelAlpha=" + runs[0], "--run",
        "labelBeta=" + runs[1].toUri(), "--out", sbs.toString());
    assertEquals(ExitCode.OK, r[0], r[2].toString());
    assertEquals("", r[2], "no warning: every video was copied");
    String page = Files.readString(sbs.resolve("index.html"));
    List<String> names;
    try (Stream<Path> s = Files.walk(sbs)) {
      names = s.map(p -> sbs.relativize(p).toString()).filter(n -> !n.isEmpty()).sorted().toList();
    }
    assertEquals(List.of("index.html", "sbs-key.json", "videos", "videos/i1-left.mp4", "videos/i1-right.mp4",
        "videos/i2-left.mp4", "videos/i2-right.mp4", "videos/i3-left.mp4", "videos/i3-right.mp4", "videos/i4-left.mp4",
        "videos/i4-right.mp4"), names);
    for (String leak : List.of("labelAlpha", "labelBeta", "runSeed42", "runSeed7", "k5-out", tmp.toString())) {
      assertFalse(page.toLowerCase().contains(leak.toLowerCase()), "index.html names " + leak);
      assertTrue(names.stream().noneMatch(n -> n.toLowerCase().contains(leak.toLowerCase())), leak + " in " + names);
    }
    // the copies are the clips of the runs the key puts on each side
    SbsKey key = SbsKey.read(sbs.resolve("sbs-key.json"));
    for (SbsKey.Item it : key.items()) {
      Path left = (it.left().equals("labelAlpha") ? runs[0] : runs[1]).resolve("videos/" + it.promptId() + ".mp4");
      Path right = (it.right().equals("labelAlpha") ? runs[0] : runs[1]).resolve("videos/" + it.promptId() + ".mp4");
      assertArrayEquals(Files.readAllBytes(left), Files.readAllBytes(sbs.resolve("videos/" + it.item() + "-left.mp4")));
      assertArrayEquals(Files.readAllBytes(right), Files.readAllBytes(sbs.resolve("videos/" + it.item() + "-right.mp4")));
    }

    Object[] linked = exec(new SbsCommand(), "--run", "labelAlpha=" + runs[0], "--run", "labelBeta=" + runs[1],
        "--out", tmp.resolve("sbs-linked").toString());
    assertEquals(ExitCode.OK, linked[0]);
    assertEquals("warning: 10 videos are linked from their runs' own locations, which tell the runs apart, so the page"
        + " is not blind; use --copy-videos", linked[2].toString().strip());
  }

  @Test
  void reportReusesTheComparisonThatCompareWroteForTheSameInputs() throws Exception {
    Path[] runs = runDirs();
    Path dir = tmp.resolve("cmp");
    // the fixture runs differ in steps (50 vs a distilled 16): compared anyway, labelled
    String[] common = {"--run", "A=" + runs[0], "--run", "B=" + runs[1].resolve("eval"), "--resamples", "300",
        "--allow-protocol-mismatch"};
    assertEquals(ExitCode.OK, exec(new CompareCommand(), concat(common, "--out", dir.toString()))[0]);
    Object[] reused = exec(new ReportCommand(), concat(common, "--sheets-from-videos", "--out", dir.toString()));
    assertEquals(ExitCode.OK, reused[0], reused[2].toString());
    assertTrue(reused[1].toString().contains("reused the statistics of " + dir.toUri().toString().replace("file:///",
        "file:/") + "comparison.json"), reused[1].toString());
    assertTrue(reused[1].toString().contains("10 contact sheets"), reused[1].toString());
    Path fresh = tmp.resolve("fresh");
    Object[] computed = exec(new ReportCommand(), concat(common, "--sheets-from-videos", "--out", fresh.toString()));
    assertFalse(computed[1].toString().contains("reused"), computed[1].toString());
    // every table row (the statistics, per metric and group) is the same as recomputed; the charts' SVG ids and
    // the generation time differ from one rendering to the next
    List<String> want = rows(Files.readString(fresh.resolve("report.html")));
    assertTrue(want.size() > 60, "rows: " + want.size());
    assertEquals(want, rows(Files.readString(dir.resolve("report.html"))), "the saved statistics round-trip exactly");
    assertEquals(10, Files.readString(dir.resolve("report.html")).split("data:image/png;base64,", -1).length - 1);

    // other settings: the saved comparison is not theirs
    Object[] other = exec(new ReportCommand(), "--run", "A=" + runs[0], "--run", "B=" + runs[1], "--resamples", "200",
        "--allow-protocol-mismatch", "--comparison", dir.toString(), "--out", tmp.resolve("other").toString());
    assertTrue(other[1].toString().contains("was computed from other inputs or settings; computing the comparison"
        + " again"), other[1].toString());
  }

  @Test
  void unusableInputsAreOneLineAndExitRefused() throws Exception {
    Path[] runs = runDirs();
    Path missing = tmp.resolve("nowhere");
    Path empty = Files.createDirectories(tmp.resolve("empty-run"));
    Path bad = Files.writeString(tmp.resolve("bad.csv"), "prompt_id,seed\np1,notanumber\n");
    String out = tmp.resolve("o").toString();
    String f = "file:";
    assertRefused("k5 compare: " + f + missing + ": no such file or run directory",
        exec(new CompareCommand(), "--run", "A=" + runs[0], "--run", "B=" + missing, "--out", out));
    assertRefused("k5 report: " + f + empty + ": a directory without eval/metrics.csv or metrics.csv (run k5 evaluate"
        + " --run " + empty + " first)", exec(new ReportCommand(), "--run", "A=" + runs[0], "--run", "B=" + empty,
        "--out", out));
    assertRefused("k5 sbs: " + f + bad + " line 2: column seed is not an integer: 'notanumber'",
        exec(new SbsCommand(), "--run", "A=" + runs[0], "--run", "B=" + bad, "--out", out));
    assertRefused("k5 fidelity: " + f + missing + ": no such run or video directory",
        exec(new FidelityCommand(), "--reference", runs[0].toString(), "--candidate", missing.toString()));
    assertRefused("k5 compare: " + f + missing + "/sbs-key.json: no such file",
        exec(new CompareCommand(), "--run", "A=" + runs[0], "--run", "B=" + runs[1], "--votes",
            missing.resolve("votes.json").toString(), "--sbs-key", missing.resolve("sbs-key.json").toString(),
            "--out", out));
    assertRefused("k5 compare: " + f + runs[0] + "/eval/metrics.csv: not an SBS key file: Unrecognized token 'run_id':"
        + " was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        exec(new CompareCommand(), "--run", "A=" + runs[0], "--run", "B=" + runs[1], "--votes",
            missing.resolve("votes.json").toString(), "--sbs-key", runs[0].resolve("eval/metrics.csv").toString(),
            "--out", out));
    Object[] usage = exec(new CompareCommand(), "--run", "A=" + runs[0], "--run", "B=" + runs[1], "--votes", "v.json",
        "--out", out);
    assertEquals(ExitCode.USAGE, usage[0]);
    assertEquals("k5 compare: --votes needs --sbs-key (the sbs-key.json written next to the page)",
        usage[2].toString().strip());
  }

  private static List<String> rows(String html) {
    return java.util.regex.Pattern.compile("<tr[ >].*?</tr>", java.util.regex.Pattern.DOTALL).matcher(html).results()
        .map(java.util.regex.MatchResult::group).toList();
  }

  private static void assertRefused(String line, Object[] r) {
    assertEquals(ExitCode.REFUSED, r[0], r[2].toString());
    assertEquals(line, r[2].toString().strip());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
