package org.k5spark.eval.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.eval.stats.Direction;
import org.k5spark.eval.stats.Group;
import org.k5spark.eval.stats.Outcome;
import org.k5spark.eval.stats.WinTieLoss;

class CompareRunsTest {
  @TempDir
  Path tmp;

  @Test
  void pairedWinTieLossPerMetricAndGroup() {
    Comparison c = CompareRuns.defaults().compare(Fixtures.twoRuns(), List.of());
    PairComparison pc = c.pairs().get(0);
    assertEquals("A", pc.runA());
    MetricRow aes = pc.row("aesthetic_quality", Group.OVERALL);
    assertEquals(4, aes.n());
    assertEquals(new WinTieLoss(2, 1, 1), aes.wtl());
    assertEquals(2.5 / 4, aes.winRate().estimate(), 1e-12);
    assertEquals((0.60 + 0.55 + 0.40 + 0.30) / 4, aes.meanA().estimate(), 1e-12);
    assertEquals((0.10 + 0.05 - 0.005 - 0.15) / 4, aes.meanDiff().estimate(), 1e-12);
    assertTrue(aes.wilcoxonP() > 0.5, "mixed signs, tiny n: nothing significant");
    // per concept: "scene" has p2 (win), p3 (win), p5 (loss); a prompt counts for each of its labels
    MetricRow scene = pc.row("aesthetic_quality", new Group(Group.Kind.CONCEPT, "scene"));
    assertEquals(new WinTieLoss(2, 0, 1), scene.wtl());
    MetricRow animal = pc.row("aesthetic_quality", new Group(Group.Kind.CONCEPT, "animal"));
    assertEquals(new WinTieLoss(1, 0, 0), animal.wtl());
    MetricRow high = pc.row("aesthetic_quality", new Group(Group.Kind.MOTION, "high"));
    assertEquals(new WinTieLoss(1, 0, 1), high.wtl());
    // not computed in B for p3 → that prompt is left out and counted as missing, not as a loss
    MetricRow tva = pc.row("text_video_alignment", Group.OVERALL);
    assertEquals(3, tva.n());
    assertEquals(1, tva.missing());
    assertEquals(new WinTieLoss(3, 0, 0), tva.wtl());
    // boolean dynamic_degree: A moves everywhere, B only on p4
    assertEquals(new WinTieLoss(3, 1, 0), pc.row("dynamic_degree", Group.OVERALL).wtl());
    // descriptive metric: means but no verdict
    MetricRow br = pc.row("brightness", Group.OVERALL);
    assertEquals(Direction.NONE, br.direction());
    assertEquals(0, br.wtl().total());
    assertEquals(-0.1, br.meanDiff().estimate(), 1e-12);
  }

  @Test
  void promptsInOnlyOneRunAreListed() {
    Comparison c = CompareRuns.defaults().compare(Fixtures.twoRuns(), List.of());
    PairComparison pc = c.pairs().get(0);
    assertEquals(List.of("p1"), pc.onlyInA());
    assertEquals(List.of("p6"), pc.onlyInB());
    assertEquals(List.of("A"), c.partialPrompts().get("p1"));
    assertEquals(List.of("B"), c.partialPrompts().get("p6"));
    assertEquals(2, c.partialPrompts().size());
    assertEquals(4, pc.prompts().size());
  }

  @Test
  void humanVotesJoinTheTablesInEitherOrientation() {
    List<Vote> votes = new ArrayList<>();
    votes.add(new Vote("p2", "visual_quality", "A", "B", Outcome.WIN, "v1"));
    votes.add(new Vote("p3", "visual_quality", "B", "A", Outcome.LOSS, "v1")); // = A wins
    votes.add(new Vote("p4", "visual_quality", "A", "B", Outcome.TIE, "v1"));
    votes.add(new Vote("p5", "motion_dynamics", "B", "A", Outcome.WIN, "v1")); // = A loses
    votes.add(new Vote("p5", "visual_quality", "A", "C", Outcome.WIN, "v1")); // other pair: ignored
    PairComparison pc = CompareRuns.defaults().compare(Fixtures.twoRuns(), votes).pairs().get(0);
    assertEquals(4, pc.votes());
    MetricRow vq = pc.row("human:visual_quality", Group.OVERALL);
    assertEquals(new WinTieLoss(2, 1, 0), vq.wtl());
    assertEquals("human", vq.source());
    assertEquals(new WinTieLoss(0, 0, 1), pc.row("human:motion_dynamics", Group.OVERALL).wtl());
    assertEquals(new WinTieLoss(2, 0, 0), pc.row("human:visual_quality", new Group(Group.Kind.CONCEPT, "scene")).wtl());
    assertNull(pc.row("human:prompt_following", Group.OVERALL));
  }

  @Test
  void threeRunsGiveThreePairs() {
    List<RunTable> two = Fixtures.twoRuns();
    RunTable c = new RunTable("C", java.util.Map.of(), two.get(0).videos());
    Comparison cmp = CompareRuns.defaults().compare(List.of(two.get(0), two.get(1), c), List.of());
    assertEquals(List.of("A-B", "A-C", "B-C"), cmp.pairs().stream().map(p -> p.runA() + "-" + p.runB()).toList());
    assertEquals(new WinTieLoss(0, 5, 0), cmp.pairs().get(1).row("aesthetic_quality", Group.OVERALL).wtl());
    assertThrows(IllegalArgumentException.class, () -> CompareRuns.defaults().compare(List.of(c), List.of()));
  }

  @Test
  void csvRoundTripAndErrors() throws IOException {
    RunTable a = Fixtures.twoRuns().get(1);
    Path f = tmp.resolve("b.csv");
    MetricsCsv.write(a, f);
    RunTable back = MetricsCsv.read(f, null);
    assertEquals("B", back.runId());
    assertEquals(a.config(), back.config());
    assertEquals(a.videos(), back.videos());
    assertNull(back.videos().get(1).metrics().get("text_video_alignment"), "not computed survives the round trip");
    assertTrue(back.videos().get(1).metrics().containsKey("text_video_alignment"));

    String csv = "prompt_id,prompt,concept,motion_level,status,metric.aesthetic_quality,metric.dynamic_degree\n"
        + "x1,\"hi, \"\"there\"\"\n2nd line\",\"human - activity, scene\",low,ok,NaN,true\n"
        + "x2,p,,high,failed,,false\n";
    RunTable r = MetricsCsv.read(new StringReader(csv), "mem.csv", "R");
    VideoScore v = r.videos().get(0);
    assertEquals("hi, \"there\"\n2nd line", v.prompt());
    assertEquals(List.of("human - activity", "scene"), v.concepts());
    assertNull(v.metrics().get("aesthetic_quality"));
    assertEquals(1.0, v.metrics().get("dynamic_degree"));
    assertTrue(!r.videos().get(1).ok());
    assertNull(r.videos().get(1).metric("dynamic_degree"), "failed videos contribute no values");

    IOException bad = assertThrows(IOException.class, () -> MetricsCsv.read(
        new StringReader("prompt_id,metric.aesthetic_quality\nx,abc\n"), "bad.csv", "R"));
    assertTrue(bad.getMessage().contains("bad.csv") && bad.getMessage().contains("metric.aesthetic_quality")
        && bad.getMessage().contains("line 2"), bad.getMessage());
    IOException noId = assertThrows(IOException.class, () -> MetricsCsv.read(
        new StringReader("prompt,metric.a\nx,1\n"), "noid.csv", "R"));
    assertTrue(noId.getMessage().contains("prompt_id"));
  }
}
