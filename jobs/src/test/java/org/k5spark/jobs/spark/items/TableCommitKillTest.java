package org.k5spark.jobs.spark.items;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.jobs.testing.PatternTextToVideo;
import org.k5spark.jobs.testing.SharedSpark;

/**
 * kill -9 of a real {@code k5 generate} process while it commits the manifest's Parquet copy (held there by the
 * {@link ItemJob#STALL_ENV} hook), then a re-run: the final name always holds a whole table, and after the re-run
 * both copies hold exactly the committed parts. Slow (three child JVMs with Spark): run with -Pslow.
 */
@Tag("slow")
class TableCommitKillTest {
  @TempDir Path tmp;

  private Process k5(int limit, Path stallMarker) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect"))
        .forEach(cmd::add);
    cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        "org.k5spark.jobs.cli.K5", "generate", "--master", "local[2]",
        "--prompts", Path.of("..", "configs", "prompts", "sample.csv").toAbsolutePath().toString(),
        "--out", tmp.resolve("out").toString(), "--run-id", "r", "--limit", Integer.toString(limit),
        "--model", Path.of("target/test-classes/fake-model.properties").toAbsolutePath().toString(),
        "--factory", PatternTextToVideo.Factory.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("k5-" + limit + (stallMarker == null ? "" : "-stalled") + ".log").toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    if (stallMarker != null) {
      pb.environment().put(ItemJob.STALL_ENV, stallMarker.toString());
    } else {
      pb.environment().remove(ItemJob.STALL_ENV);
    }
    return pb.start();
  }

  private long parquetRows() {
    return SharedSpark.get().read().parquet(tmp.resolve("out/r/manifest.parquet").toString()).count();
  }

  private List<String> files(String dir) throws Exception {
    try (Stream<Path> s = Files.list(tmp.resolve(dir))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void killedDuringTheParquetCommitLeavesAWholeTableAndTheRerunCompletesIt() throws Exception {
    Process first = k5(4, null);
    assertTrue(first.waitFor(180, TimeUnit.SECONDS), "first run finished");
    assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("k5-4.log")));
    assertEquals(4, parquetRows());

    Path marker = tmp.resolve("stalled");
    Process killed = k5(8, marker);
    for (int i = 0; i < 1800 && !Files.exists(marker); i++) {
      assertTrue(killed.isAlive(), () -> "exited before the commit: " + read(tmp.resolve("k5-8-stalled.log")));
      Thread.sleep(100);
    }
    assertTrue(Files.exists(marker), "the commit hook was reached");
    killed.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, killed.exitValue(), "killed by SIGKILL");
    // all 8 items committed their parts; the CSV copy is already the new one; the Parquet copy is the old, whole table
    assertEquals(8, files("out/r/parts").size());
    assertEquals(9, Files.readAllLines(tmp.resolve("out/r/manifest.csv")).size());
    assertEquals(List.of("part-00000.snappy.parquet"), files("out/r/manifest.parquet"));
    assertEquals(4, parquetRows());

    Process rerun = k5(8, null);
    assertTrue(rerun.waitFor(180, TimeUnit.SECONDS), "re-run finished");
    assertEquals(0, rerun.exitValue(), Files.readString(tmp.resolve("k5-8.log")));
    assertEquals(8, parquetRows());
    assertEquals(8, SharedSpark.get().read().parquet(tmp.resolve("out/r/manifest.parquet").toString())
        .select("prompt_id").distinct().count());
    assertEquals(9, Files.readAllLines(tmp.resolve("out/r/manifest.csv")).size());
    assertEquals(List.of("part-00000.snappy.parquet"), files("out/r/manifest.parquet"));
    assertFalse(Files.exists(tmp.resolve("out/r/_tmp")), "the re-run removed the killed run's staging");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return e.toString();
    }
  }
}
