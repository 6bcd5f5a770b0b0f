package org.k5spark.benchmark.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Benchmark prompts: the {@code prompt} column of a CSV (configs/prompts/sample.csv), else a built-in list. */
public final class Prompts {
  public static final List<String> BUILT_IN = List.of(
      "A red fox trotting through fresh snow in a birch forest at dawn, soft light, cinematic.",
      "Close-up of waves breaking on black volcanic sand, slow motion, overcast sky.",
      "A paper boat drifting down a rain-filled street gutter, reflections of neon signs.",
      "Time-lapse of clouds rolling over a mountain ridge, golden hour.",
      "A cat stretching on a sunny windowsill, dust particles floating in the light.",
      "An old steam train crossing a stone viaduct in autumn, aerial view.",
      "Hot air balloons rising over a desert canyon at sunrise.",
      "A chef tossing vegetables in a flaming wok, close-up, dramatic lighting.");

  private Prompts() {}

  /** {@code n} prompts from {@code csv} when it exists, else from the built-in list; cycles when short. */
  public static List<String> load(Path csv, int n) {
    List<String> all = csv != null && Files.isRegularFile(csv) ? fromCsv(csv) : BUILT_IN;
    if (all.isEmpty()) {
      throw new IllegalArgumentException(csv + ": no prompts in the 'prompt' column");
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(all.get(i % all.size()));
    }
    return out;
  }

  static List<String> fromCsv(Path csv) {
    try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      List<String> out = new ArrayList<>();
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
        if (!rec.isMapped("prompt")) {
          throw new IllegalArgumentException(csv + ": no 'prompt' column in the header");
        }
        String p = rec.get("prompt").trim();
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException(csv + ": cannot read prompts: " + e.getMessage(), e);
    }
  }
}
