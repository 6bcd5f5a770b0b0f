package org.k5spark.jobs.evaluate;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The local[*] session of a {@code k5} job command: quiet Spark logging, our own progress at INFO. */
public final class LocalSpark {
  private LocalSpark() {}

  public static SparkSession session(String name, String master, Map<String, String> conf) {
    org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
    SparkSession.Builder b = SparkSession.builder().appName(name).master(master == null ? "local[*]" : master)
        .config("spark.ui.enabled", "false");
    conf.forEach(b::config);
    SparkSession s = b.getOrCreate();
    org.apache.logging.log4j.core.config.Configurator.setLevel("org.k5spark", org.apache.logging.log4j.Level.INFO);
    return s;
  }
}
