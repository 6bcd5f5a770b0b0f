package org.k5spark.jobs.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every committed {@code *.json} part file of a directory, in parallel (an object store answers
 * each GET in tens of ms). An unreadable part is logged and left out: its item is simply redone.
 */
public final class PartFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PartFiles.class);
  /** Part files are snake_case JSON; unknown fields are ignored so older parts stay readable. */
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
      .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One part record as pretty-printed JSON bytes. */
  public static byte[] toJson(Object record) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static <T> T fromJson(byte[] json, Class<T> type) throws java.io.IOException {
    return JSON.readValue(json, type);
  }

  /** Parses one part file's bytes. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(byte[] json) throws IOException;
  }

  private PartFiles() {}

  public static <T> Map<String, T> readAll(Path dir, Configuration conf, Parser<T> parser, Function<T, String> key)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Map<String, T> out = new HashMap<>();
    if (!fs.exists(dir)) {
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (FileStatus st : fs.listStatus(dir)) {
        if (st.isFile() && st.getPath().getName().endsWith(".json")) {
          futures.add(pool.submit(() -> {
            try (var in = fs.open(st.getPath())) {
              return parser.parse(in.readAllBytes());
            } catch (IOException e) {
              LOG.warn("ignoring unreadable part {}: {}", st.getPath(), e.toString());
              return null;
            }
          }));
        }
      }
      for (Future<T> f : futures) {
        T r = f.get();
        if (r != null) {
          out.put(key.apply(r), r);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading parts of " + dir, e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }
}
