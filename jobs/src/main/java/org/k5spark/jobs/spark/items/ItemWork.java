package org.k5spark.jobs.spark.items;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * What an item job does with its items, for {@link ItemTask} to run: process a batch on the executor's cached
 * model, commit each item's payload, describe a failure. Everything else (skipping committed items, batching,
 * isolating failures, committing part files) is the task's.
 *
 * @param <I> an item (a prompt, a video to score)
 * @param <W> what processing one item gives before its commit (a generated video, metric values)
 * @param <R> the item's committed record
 */
public interface ItemWork<I, W, R extends ItemRecord> extends Serializable {
  String itemId(I item);

  PartStore<R> parts();

  /**
   * Whether {@code committed} still stands: null when it does (the item is skipped), else why the item is redone
   * (e.g. "video sha256 mismatch"), which its new record carries.
   */
  String staleReason(I item, R committed, Configuration conf) throws IOException;

  /**
   * Processes a batch: one result per item, in order. A throw fails the whole batch; the task then retries its
   * items one at a time, so only the item that throws fails.
   */
  List<W> process(List<I> batch, Configuration conf) throws Exception;

  /** Commits the item's payload, if any, and returns its record (the task commits the record after it). */
  R commitItem(I item, W result, String redone, Configuration conf) throws Exception;

  /** The record of an item that failed with {@code reason} (one line: exception class and message). */
  R failed(I item, String reason, String redone);
}
