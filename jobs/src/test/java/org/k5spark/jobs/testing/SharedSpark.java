package org.k5spark.jobs.testing;

import org.apache.spark.sql.SparkSession;

/** One local SparkSession for every test class in the surefire JVM (a session costs seconds to start). */
public final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  /** local[2,3]: two task slots, and up to 3 attempts per task so injected crashes are retried. */
  public static synchronized SparkSession get() {
    if (spark == null || spark.sparkContext().isStopped()) {
      spark = SparkSession.builder().master("local[2,3]").appName("k5-jobs-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    return spark;
  }

  /** Stops the shared session (a JVM holds one SparkContext) so a test can start its own master. */
  public static synchronized void stop() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
