package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled application jar through Spark's own launcher, as on a cluster: a child JVM whose
 * classpath is only what a Spark distribution ships (Spark's dependency tree + hadoop-aws), running
 * {@code SparkSubmit --master local[2] --class GenerateVideosMain <app jar>}. Catches classes or natives
 * missing from the shaded jar and Spark/Hadoop leaking into it. Runs in `verify` (failsafe), after `package`.
 */
class PackagedJobIT {
  /** Libraries the app jar leaves out on purpose because every Spark distribution has them. */
  private static final List<String> SPARK_SHIPS = List.of("/com/fasterxml/jackson/", "/org/slf4j/", "/commons-io/",
      "/commons-codec/", "/org/apache/commons/commons-compress/", "/org/apache/commons/commons-math3/", "/org/yaml/snakeyaml/");

  @TempDir Path tmp;

  @Test
  void appJarRunsUnderSparkSubmit() throws Exception {
    Path target = Path.of("target");
    Path appJar;
    try (Stream<Path> s = Files.list(target)) {
      appJar = s.filter(p -> p.getFileName().toString().endsWith("-app.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no *-app.jar in target/: run through `mvn verify`"));
    }
    List<String> cp = new ArrayList<>(List.of(Files.readString(target.resolve("classpath-provided.txt")).strip()
        .split(File.pathSeparator)));
    for (String e : Files.readString(target.resolve("classpath.txt")).strip().split(File.pathSeparator)) {
      if (SPARK_SHIPS.stream().anyMatch(e::contains)) {
        cp.add(e);
      }
    }
    assertTrue(cp.stream().noneMatch(e -> e.contains("/ai/djl/") || e.contains("/org/bytedeco/") || e.contains("picocli")
        || e.contains("/k5spark/")), "the child classpath must not carry what the app jar should: " + cp);

    // the fake model is test code: shipped with --jars like any user plugin
    Path fakeJar = tmp.resolve("fake-model.jar");
    Path testClasses = target.resolve("test-classes");
    try (OutputStream fo = Files.newOutputStream(fakeJar); JarOutputStream out = new JarOutputStream(fo);
        Stream<Path> files = Files.walk(testClasses.resolve("org/k5spark/jobs/testing"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(testClasses.relativize(f).toString()));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    Path csv = tmp.resolve("p.csv");
    Files.writeString(csv, "prompt,concept,motion_level\n" + String.join("\n", "A lighthouse at dusk,scene,low",
        "A fox jumps over a log,animal,high", "Rain on a window,scene,low", "A chef flips a pancake,human - hand,medium")
        + "\n");
    Path out = tmp.resolve("out");

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect"))
        .forEach(cmd::add);
    cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", String.join(File.pathSeparator, cp),
        "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.host=127.0.0.1", "--jars", fakeJar.toString(),
        "--class", "org.k5spark.jobs.generate.GenerateVideosMain", appJar.toAbsolutePath().toString(),
        "--prompts", csv.toString(), "--out", out.toString(), "--run-id", "submitted",
        "--model", Path.of("target/test-classes/fake-model.properties").toAbsolutePath().toString(),
        "--factory", "org.k5spark.jobs.testing.PatternTextToVideo$Factory", "--progress-interval-ms", "500"));
    Path log = tmp.resolve("spark-submit.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(240, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertTrue(finished, "spark-submit timed out:\n" + output);
    assertEquals(0, p.exitValue(), "spark-submit failed:\n" + output);
    assertTrue(output.contains("k5 generate submitted: 4 input rows, 4 ok"), output);
    assertTrue(output.contains("4/4 videos done"), "progress lines in the driver log:\n" + output);

    FileSystem fs = FileSystem.getLocal(new Configuration());
    List<CSVRecord> rows = JobFixtures.manifest(fs, new org.apache.hadoop.fs.Path(out.resolve("submitted/manifest.csv").toUri()));
    assertEquals(4, rows.size());
    for (CSVRecord r : rows) {
      assertEquals("ok", r.get("status"));
      JobFixtures.assertVideo(fs, new org.apache.hadoop.fs.Path(r.get("video_path")), Long.parseLong(r.get("seed")), 8);
    }
  }
}
