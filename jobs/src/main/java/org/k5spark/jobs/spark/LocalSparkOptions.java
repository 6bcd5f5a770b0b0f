package org.k5spark.jobs.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The Spark options every {@code k5} job command shares (a picocli mixin) and the session they describe:
 * {@code local[*]} (or --master) with quiet Spark logging and our progress at INFO when the command runs
 * from a terminal, the session spark-submit configured when it runs under spark-submit.
 */
public final class LocalSparkOptions {
  /**
   * Four attempts per task, as submit/spark-submit-gpu.sh sets spark.task.maxFailures=4 (plain local[*] gives a
   * task one attempt, so one lost executor thread would abort the whole run).
   */
  public static final String DEFAULT_MASTER = "local[*,4]";

  @Option(names = "--master", description = "Spark master for local runs (default local[*,4]: 4 attempts per task, as"
      + " on a cluster; ignored under spark-submit).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark conf for local runs (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  /**
   * @param local true for the {@code k5} form (start a session), false under spark-submit (use its session)
   */
  public SparkSession session(boolean local, String appName) {
    if (!local) {
      return SparkSession.builder().getOrCreate();
    }
    // Spark's INFO chatter drowns the per-video progress lines on a terminal
    Configurator.setRootLevel(Level.WARN);
    // warnings every local run printed that say nothing to act on: no native Hadoop library (builtin Java classes
    // are used), spark.local.dir "will be overridden" (only by cluster managers, never in local mode), and a
    // query plan's string form truncated (the manifest write)
    Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
    Configurator.setLevel("org.apache.spark.SparkConf", Level.ERROR);
    Configurator.setLevel("org.apache.spark.sql.catalyst.util.SparkStringUtils", Level.ERROR);
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(master == null ? DEFAULT_MASTER : master)
        .config("spark.ui.enabled", "false")
        // Spark's block-manager and shuffle dirs in this JVM's scratch: a k5 killed with -9 leaves nothing in
        // java.io.tmpdir that the next k5 does not remove (Spark removes them itself on a normal exit)
        .config("spark.local.dir", sparkLocalDir())
        // lz4-java and snappy-java unpack a native library into java.io.tmpdir that a killed JVM leaves behind;
        // LZF is pure Java (local runs move a few KB between stages), and snappy (Parquet) unpacks into scratch
        .config("spark.io.compression.codec", "lzf");
    System.setProperty("org.xerial.snappy.tempdir", sparkLocalDir());
    conf.forEach(b::config);
    SparkSession s = b.getOrCreate();
    Configurator.setLevel("org.k5spark", Level.INFO);
    Configurator.setLevel("k5", Level.INFO);
    return s;
  }

  private static String sparkLocalDir() {
    try {
      return java.nio.file.Files.createDirectories(LocalScratch.dir().resolve("spark")).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the scratch directory for Spark", e);
    }
  }

  /** Whether the command must stop the session when done: it started it (no session existed before). */
  public static boolean startsOwnSession(boolean local) {
    return local && SparkSession.getDefaultSession().isEmpty();
  }
}
