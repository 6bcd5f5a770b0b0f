package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.jobs.testing.SharedSpark;

/**
 * The GPU path through Spark's resource scheduler: local-cluster with one worker whose discovery
 * script reports two GPUs; tasks ask for one GPU each. Executors are real forked JVMs (they load the
 * fake model from a jar in the fake SPARK_HOME), computing on the CPU underneath. 23-60 s on the
 * shared 2-core machine (executor JVM start plus a cold Parquet write in it).
 */
class GpuSchedulingTest {
  @TempDir Path tmp;

  /** SPARK_HOME (set by surefire) with RELEASE and jars/ = the test classpath + a jar of our classes. */
  static void buildFakeSparkHome(Path home) throws IOException {
    Path jars = home.resolve("jars");
    if (Files.isDirectory(jars)) {
      // links from an earlier build may point at jars of other versions
      try (Stream<Path> old = Files.list(jars)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(jars);
    Files.writeString(home.resolve("RELEASE"), "");
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = jars.resolve(p.getFileName());
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      } else if (Files.isDirectory(p)) {
        jarDirectory(p, jars.resolve("k5-" + p.getFileName() + "-" + Integer.toHexString(entry.hashCode()) + ".jar"));
      }
    }
  }

  private static void jarDirectory(Path dir, Path jar) throws IOException {
    try (OutputStream fo = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(fo);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  @Test
  void tasksGetDistinctGpuAddressesAndOnePipelinePerAddress() throws Exception {
    String home = System.getenv("SPARK_HOME");
    assertTrue(home != null && home.endsWith("fake-spark-home"), "surefire sets SPARK_HOME: " + home);
    buildFakeSparkHome(Path.of(home));
    Path script = tmp.resolve("two-gpus.sh");
    Files.writeString(script, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    String opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect"))
        .collect(Collectors.joining(" "));

    SharedSpark.stop();
    SparkSession spark = SparkSession.builder().master("local-cluster[1,2,1024]").appName("k5-gpu-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.executor.memory", "768m")
        .config("spark.executor.extraJavaOptions", opens + " -Dai.djl.offline=true")
        .config("spark.worker.resource.gpu.amount", "2")
        .config("spark.worker.resource.gpu.discoveryScript", script.toString())
        .config("spark.executor.resource.gpu.amount", "2")
        .config("spark.executor.resource.gpu.discoveryScript", script.toString())
        .config("spark.task.resource.gpu.amount", "1")
        .getOrCreate();
    try {
      Path csv = tmp.resolve("p.csv");
      StringBuilder sb = new StringBuilder("prompt,concept,motion_level\n");
      for (int i = 0; i < 8; i++) {
        sb.append("GPU scheduling prompt ").append(i).append(",scene,low\n");
      }
      Files.writeString(csv, sb.toString());
      Path model = tmp.resolve("fake-model.properties");
      Files.copy(JobFixtures.resource("fake-model.properties"), model);
      GenerateConfig cfg = JobFixtures.config(List.of(csv.toString()), tmp.resolve("out").toString(), "gpu",
          model.toString(), 4);
      RunSummary s = GenerateVideosJob.run(spark, cfg);
      assertEquals(8, s.ok(), "all prompts generated");

      List<CSVRecord> rows = JobFixtures.manifest(FileSystem.getLocal(spark.sparkContext().hadoopConfiguration()),
          cfg.layout().manifestCsv());
      assertEquals(8, rows.size());
      Map<String, Set<String>> instancesByGpu = new HashMap<>();
      Set<String> executors = new TreeSet<>();
      for (CSVRecord r : rows) {
        instancesByGpu.computeIfAbsent(r.get("gpu"), k -> new TreeSet<>()).add(r.get("pipeline_instance"));
        executors.add(r.get("executor_id"));
      }
      assertEquals(Set.of("0", "1"), instancesByGpu.keySet(), "tasks ran on both GPU addresses: " + instancesByGpu);
      assertEquals(Set.of("0"), executors, "one executor (forked JVM), not the driver");
      for (var e : instancesByGpu.entrySet()) {
        assertEquals(1, e.getValue().size(), "one cached pipeline per GPU address, reused: " + instancesByGpu);
      }
      assertTrue(!instancesByGpu.get("0").equals(instancesByGpu.get("1")), "distinct pipelines per address");
    } finally {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }
}
