package org.k5spark.jobs.generate;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver-side progress: polls the committed part files (works the same on every cluster manager and
 * filesystem, and counts a video the moment it is committed rather than when its task ends) and logs
 * one line per finished video with done/total, rate and ETA.
 */
final class ProgressMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("k5.generate.progress");

  private final RunLayout layout;
  private final Configuration conf;
  private final Set<String> pending;
  private final int total;
  private final Set<String> seen = new HashSet<>();
  /** Parts that existed before the run (e.g. failed ones being retried) count only once rewritten. */
  private final java.util.Map<String, Long> initial = new java.util.HashMap<>();
  private final long startMs = System.currentTimeMillis();
  private final ScheduledExecutorService timer;

  ProgressMonitor(RunLayout layout, Configuration conf, Set<String> pending, long intervalMs) {
    this.layout = layout;
    this.conf = conf;
    this.pending = Set.copyOf(pending);
    this.total = pending.size();
    listParts().forEach((id, mtime) -> initial.put(id, mtime));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "k5-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::poll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  synchronized int done() {
    return seen.size();
  }

  synchronized void poll() {
    listParts().forEach((id, mtime) -> {
      Long before = initial.get(id);
      if (pending.contains(id) && (before == null || before.longValue() != mtime) && seen.add(id)) {
        LOG.info(line(id));
      }
    });
  }

  /** prompt_id -> modification time of its committed part; empty when the listing fails (progress is best effort). */
  private java.util.Map<String, Long> listParts() {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try {
      FileSystem fs = layout.parts().getFileSystem(conf);
      if (fs.exists(layout.parts())) {
        for (FileStatus st : fs.listStatus(layout.parts())) {
          String name = st.getPath().getName();
          if (name.endsWith(".json")) {
            out.put(name.substring(0, name.length() - ".json".length()), st.getModificationTime());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("progress poll failed: {}", e.toString());
    }
    return out;
  }

  private String line(String id) {
    int done = seen.size();
    double hours = Math.max(1e-9, (System.currentTimeMillis() - startMs) / 3.6e6);
    double rate = done / hours;
    long etaS = rate > 0 ? Math.round((total - done) / rate * 3600) : -1;
    return String.format("[%s] %d/%d videos done (%s), %.1f videos/h, ETA %s", layout.runId(), done, total, id, rate,
        etaS < 0 ? "?" : String.format("%02d:%02d:%02d", etaS / 3600, etaS / 60 % 60, etaS % 60));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    poll();
  }
}
