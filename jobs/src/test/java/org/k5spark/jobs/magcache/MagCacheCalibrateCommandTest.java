package org.k5spark.jobs.magcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.ModelConfig;
import picocli.CommandLine;

/** The tiny config's shipped MagCache ratios are what the documented calibration command measures. */
class MagCacheCalibrateCommandTest {
  @TempDir Path tmp;

  @Test
  void reproducesTheTinyConfigsRatios() throws Exception {
    MagCacheCalibrateCommand cmd = new MagCacheCalibrateCommand();
    Path out = tmp.resolve("magcache.yaml");
    new CommandLine(cmd).parseArgs("--model", "tiny", "--weights-root", tmp.resolve("weights").toString(),
        "--prompts", Path.of("..", "configs", "prompts", "sample.csv").toString(), "--out", out.toString());
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    assertEquals(0, cmd.run(new PrintStream(stdout, true, StandardCharsets.UTF_8)));
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertEquals(printed, Files.readString(out));
    assertTrue(printed.startsWith("# k5 magcache-calibrate: variant tiny, 4 prompts, 4 steps\n"
        + "# the reference rule skips the visual blocks on 1 of 8 DiT calls with these ratios at 4 steps\n"), printed);

    JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(printed).get("magcache").get("mag_ratios");
    double[] measured = new double[node.size()];
    for (int i = 0; i < measured.length; i++) {
      measured[i] = node.get(i).asDouble();
    }
    double[] shipped = ModelConfig.embedded("tiny").magRatios();
    assertEquals(2 * (4 - 1), measured.length);
    // printed with five decimals; float32 sums may differ in the last digit across thread counts
    assertArrayEquals(shipped, measured, 2e-5);
  }
}
