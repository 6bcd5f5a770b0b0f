package org.k5spark.benchmark.e2e;

import java.util.List;
import java.util.Locale;

/**
 * The end-to-end table of benchmark/RESULTS.md: rows are inserted just above the marker line so that the
 * document can carry other sections after the table; without the marker, the header, row and marker are
 * appended at the end.
 */
public final class ResultsMarkdown {
  public static final String MARKER = "<!-- end-to-end rows: run.sh inserts above this line -->";
  public static final String HEADER = String.join("\n",
      "| date (UTC) | machine | config | device | videos | text enc s | denoise s | decode s | encode s | upload s"
          + " | s/video | videos/h | peak RSS MiB | device mem MiB | DiT GFLOP/s | MFU (peak) | notes |",
      "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");

  private ResultsMarkdown() {}

  /** One row; stage values are mean seconds per video. */
  public static String row(String date, String machine, String config, String device, int videos,
      List<Double> stageSeconds, double secondsPerVideo, double videosPerHour, long peakRssMib, Long deviceMemMib,
      double gflops, double mfu, String peakSource, String notes) {
    if (stageSeconds.size() != 5) {
      throw new IllegalArgumentException("five stages expected (text encode, denoise, decode, encode, upload)");
    }
    StringBuilder sb = new StringBuilder("| ").append(date).append(" | ").append(cell(machine)).append(" | ")
        .append(cell(config)).append(" | ").append(device).append(" | ").append(videos);
    for (double s : stageSeconds) {
      sb.append(" | ").append(fmt(s));
    }
    sb.append(" | ").append(fmt(secondsPerVideo))
        .append(" | ").append(String.format(Locale.ROOT, "%.0f", videosPerHour))
        .append(" | ").append(peakRssMib)
        .append(" | ").append(deviceMemMib == null ? "–" : deviceMemMib.toString())
        .append(" | ").append(String.format(Locale.ROOT, "%.2f", gflops))
        .append(" | ").append(String.format(Locale.ROOT, "%.2f %% (%s)", 100 * mfu, cell(peakSource)))
        .append(" | ").append(cell(notes)).append(" |");
    return sb.toString();
  }

  /** {@code doc} with {@code row} inserted above the marker (or a new table appended). */
  public static String insert(String doc, String row) {
    int at = doc.indexOf(MARKER);
    if (at < 0) {
      String sep = doc.isEmpty() || doc.endsWith("\n\n") ? "" : doc.endsWith("\n") ? "\n" : "\n\n";
      return doc + sep + HEADER + "\n" + row + "\n" + MARKER + "\n";
    }
    return doc.substring(0, at) + row + "\n" + doc.substring(at);
  }

  static String fmt(double seconds) {
    return seconds >= 100 ? String.format(Locale.ROOT, "%.0f", seconds)
        : seconds >= 1 ? String.format(Locale.ROOT, "%.2f", seconds) : String.format(Locale.ROOT, "%.3f", seconds);
  }

  /** Pipes would split a Markdown cell. */
  static String cell(String s) {
    return s.replace("|", "/").replace('\n', ' ');
  }
}
