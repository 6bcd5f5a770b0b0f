package org.k5spark.jobs.spark.items;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.k5spark.eval.store.FsCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed items of an item job: one JSON part file per item, {@code <dir>/<item_id>.json}, written
 * atomically ({@link FsCommit}). The job's tables are assembled from these files, so task retries and
 * speculative twins (which rewrite the same name) never add a row. An unreadable part is logged and treated as
 * absent: its item is simply redone.
 */
public final class PartStore<R extends ItemRecord> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PartStore.class);
  /** Part files are snake_case JSON; unknown fields are ignored so older parts stay readable. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final String dir;
  private final String tmp;
  private final Class<R> type;

  /** @param tmp where rename-commits stage their bytes on a real filesystem */
  public PartStore(Path dir, Path tmp, Class<R> type) {
    this.dir = dir.toString();
    this.tmp = tmp.toString();
    this.type = type;
  }

  public Path dir() {
    return new Path(dir);
  }

  public Path part(String itemId) {
    return new Path(dir(), itemId + ".json");
  }

  /** One record as pretty-printed JSON bytes. */
  public static byte[] toJson(Object record) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static <T> T fromJson(byte[] json, Class<T> type) throws IOException {
    return JSON.readValue(json, type);
  }

  /** Writes the item's part file (atomically: readers see the old one or the new one). */
  public void commit(R record, Configuration conf) throws IOException {
    FsCommit.commitBytes(toJson(record), part(record.itemId()), new Path(tmp), conf);
  }

  /** The item's committed record, or null when there is none (or it cannot be read). */
  public R read(String itemId, Configuration conf) throws IOException {
    Path p = part(itemId);
    try (var in = p.getFileSystem(conf).open(p)) {
      return fromJson(in.readAllBytes(), type);
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("unreadable part {}: {}; the item is redone", p, e.toString());
      return null;
    }
  }

  /** Every committed record by item id, read in parallel (an object store answers each GET in tens of ms). */
  public Map<String, R> readAll(Configuration conf) throws IOException {
    Path d = dir();
    FileSystem fs = d.getFileSystem(conf);
    Map<String, R> out = new HashMap<>();
    if (!fs.exists(d)) {
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (FileStatus st : fs.listStatus(d)) {
        if (st.isFile() && st.getPath().getName().endsWith(".json")) {
          futures.add(pool.submit(() -> {
            try (var in = fs.open(st.getPath())) {
              return fromJson(in.readAllBytes(), type);
            } catch (IOException e) {
              LOG.warn("ignoring unreadable part {}: {}", st.getPath(), e.toString());
              return null;
            }
          }));
        }
      }
      for (Future<R> f : futures) {
        R r = f.get();
        if (r != null) {
          out.put(r.itemId(), r);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading parts of " + d, e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }
}
