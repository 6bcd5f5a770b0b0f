package org.k5spark.benchmark.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsMarkdownTest {
  static final String ROW = ResultsMarkdown.row("2026-11-25 22:00", "CPU X | fast, 2 cores, 24 GiB", "tiny", "cpu", 3,
      List.of(0.5912, 3.08, 3.154, 0.0842, 0.0006), 6.91, 521.0, 691, null, 0.298, 0.00412, "measured 73.6 GFLOP/s",
      "noisy");

  @Test
  void rowHasOneCellPerHeaderColumn() {
    assertEquals("| 2026-11-25 22:00 | CPU X / fast, 2 cores, 24 GiB | tiny | cpu | 3 | 0.591 | 3.08 | 3.15 | 0.084 |"
        + " 0.001 | 6.91 | 521 | 691 | – | 0.30 | 0.41 % (measured 73.6 GFLOP/s) | noisy |", ROW);
    long headerCells = ResultsMarkdown.HEADER.lines().findFirst().orElseThrow().chars().filter(c -> c == '|').count();
    assertEquals(headerCells, ROW.chars().filter(c -> c == '|').count());
  }

  @Test
  void insertsAboveTheMarkerKeepingWhatFollows() {
    String doc = "# Results\n\n" + ResultsMarkdown.HEADER + "\n| old |\n" + ResultsMarkdown.MARKER + "\n\n## Later\n";
    String out = ResultsMarkdown.insert(doc, ROW);
    assertTrue(out.contains("| old |\n" + ROW + "\n" + ResultsMarkdown.MARKER + "\n\n## Later\n"), out);
  }

  @Test
  void appendsATableWhenThereIsNoMarker() {
    String out = ResultsMarkdown.insert("# Results\n", ROW);
    assertEquals("# Results\n\n" + ResultsMarkdown.HEADER + "\n" + ROW + "\n" + ResultsMarkdown.MARKER + "\n", out);
    // and the next row goes under the first
    String twice = ResultsMarkdown.insert(out, "| second |");
    assertTrue(twice.endsWith(ROW + "\n| second |\n" + ResultsMarkdown.MARKER + "\n"));
  }

  @Test
  void needsAllFiveStages() {
    assertThrows(IllegalArgumentException.class, () -> ResultsMarkdown.row("d", "m", "c", "cpu", 1, List.of(1.0),
        1, 1, 1, null, 1, 1, "p", ""));
  }
}
