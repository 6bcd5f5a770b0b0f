package org.k5spark.jobs.spark.items;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.k5spark.jobs.spark.HadoopConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor side of an item job, Spark's "commit task" done per item: a partition is a list of items; each
 * one already committed (by an earlier run, a failed attempt of this task or a speculative twin) and still
 * valid is skipped; the rest are processed in batches of {@code batchSize}, each item's payload committed, then
 * its part file. Whatever processing or committing throws, checked or not, the item it concerned becomes a
 * failed record with a one-line reason and the rest of the partition goes on. Only a Spark kill (the task was
 * cancelled or lost its race to a twin) ends the task early.
 */
public final class ItemTask<I, W, R extends ItemRecord> implements FlatMapFunction<Iterator<List<I>>, R> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ItemTask.class);
  private static final AtomicBoolean TRACE_LOGGED = new AtomicBoolean();

  private final ItemWork<I, W, R> work;
  private final int batchSize;
  private final HadoopConf hadoop;

  public ItemTask(ItemWork<I, W, R> work, int batchSize, HadoopConf hadoop) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.work = work;
    this.batchSize = batchSize;
    this.hadoop = hadoop;
  }

  @Override
  public Iterator<R> call(Iterator<List<I>> partition) throws Exception {
    Configuration conf = hadoop.get();
    List<R> out = new ArrayList<>();
    Map<I, String> batch = new LinkedHashMap<>(); // item -> why it is redone (null: never committed)
    while (partition.hasNext()) {
      for (I item : partition.next()) {
        R committed = work.parts().read(work.itemId(item), conf);
        String stale = committed == null ? null : work.staleReason(item, committed, conf);
        if (committed != null && stale == null) {
          out.add(committed);
          continue;
        }
        batch.put(item, stale);
        if (batch.size() == batchSize) {
          out.addAll(runBatch(batch, conf));
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      out.addAll(runBatch(batch, conf));
    }
    return out.iterator();
  }

  private List<R> runBatch(Map<I, String> batch, Configuration conf) {
    List<I> items = new ArrayList<>(batch.keySet());
    List<W> results;
    try {
      results = work.process(items, conf);
    } catch (Throwable t) {
      rethrowIfKilled(t);
      if (items.size() == 1) {
        return List.of(commitFailed(items.get(0), t, batch.get(items.get(0)), conf));
      }
      LOG.warn("batch of {} failed ({}); retrying its items one at a time", items.size(), oneLine(t));
      List<R> out = new ArrayList<>();
      for (I item : items) {
        Map<I, String> one = new LinkedHashMap<>();
        one.put(item, batch.get(item));
        out.addAll(runBatch(one, conf));
      }
      return out;
    }
    List<R> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      I item = items.get(i);
      R rec;
      try {
        rec = work.commitItem(item, results.get(i), batch.get(item), conf);
      } catch (Throwable t) {
        rethrowIfKilled(t);
        out.add(commitFailed(item, t, batch.get(item), conf));
        continue;
      }
      commitPart(rec, conf);
      out.add(rec);
    }
    return out;
  }

  private R commitFailed(I item, Throwable t, String redone, Configuration conf) {
    // one line per failed item (the reason also goes to its failed row), the trace for the first one in this JVM
    // only: a run whose weights are bad would otherwise print the same 15-line trace once per prompt
    String reason = oneLine(t);
    if (TRACE_LOGGED.compareAndSet(false, true)) {
      LOG.warn("item {} failed (later failures in this JVM are logged as one line; their traces at DEBUG)",
          work.itemId(item), t);
    } else {
      LOG.warn("item {} failed: {}", work.itemId(item), reason);
      LOG.debug("item {} failed", work.itemId(item), t);
    }
    R rec = work.failed(item, reason, redone);
    commitPart(rec, conf);
    return rec;
  }

  /** A part that cannot be written leaves its item without a record: the manifest says so, the task goes on. */
  private void commitPart(R rec, Configuration conf) {
    try {
      work.parts().commit(rec, conf);
    } catch (Throwable t) {
      rethrowIfKilled(t);
      LOG.error("cannot commit the part of {}: {}", rec.itemId(), oneLine(t));
    }
  }

  /** A task Spark kills (cancelled job, a twin that won) must end, not turn its items into failed rows. */
  private static void rethrowIfKilled(Throwable t) {
    TaskContext tc = TaskContext.get();
    if (t instanceof InterruptedException || (tc != null && tc.isInterrupted())) {
      if (t instanceof RuntimeException r) {
        throw r;
      }
      throw new org.apache.spark.TaskKilledException("killed: " + t);
    }
    if (t instanceof InternalError || t instanceof UnknownError) {
      throw (VirtualMachineError) t; // the JVM is not in a state to go on (OOM and stack overflow are per item)
    }
  }

  /**
   * One line for a part record: the exception class and message, and the root cause's when it says more (the
   * full trace is in the executor log).
   */
  public static String oneLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String line = describe(t);
    if (root != t && (t.getMessage() == null || !t.getMessage().contains(String.valueOf(root.getMessage())))) {
      line += " (cause: " + describe(root) + ")";
    }
    return line;
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage() == null ? "" : ": " + t.getMessage().strip().replaceAll("\\s*\\R\\s*", " | ");
    return t.getClass().getName() + msg;
  }
}
