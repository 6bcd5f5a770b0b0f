package org.k5spark.eval.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.eval.store.RunStore;
import picocli.CommandLine.Option;

/**
 * The run store of a command (a picocli mixin): Hadoop filesystem settings for runs on s3a://, hdfs://, ... given
 * as {@code --conf}, the way {@code k5 generate} and {@code k5 evaluate} take them.
 */
public final class StoreOptions {
  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Hadoop filesystem setting for runs on s3a://,"
      + " hdfs://, ... (e.g. fs.s3a.endpoint=...; the spark.hadoop. prefix is accepted; repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  private RunStore store;

  public RunStore store() {
    if (store == null) {
      store = RunStore.withConf(conf);
    }
    return store;
  }
}
