package org.k5spark.jobs.spark.items;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.k5spark.eval.store.FsCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of an item job, in Spark's commit vocabulary: the job's setup lists what is committed
 * ({@link PartStore#readAll}), {@link #runStage} runs the {@link ItemTask}s (each commits its items), and the
 * job's commit assembles the tables from the part files ({@link #commitTable}). Generate and evaluate are both
 * thin instances of it.
 */
public final class ItemJob {
  private static final Logger LOG = LoggerFactory.getLogger(ItemJob.class);

  private ItemJob() {}

  /**
   * How the stage ended: {@code processed} records committed by this run's tasks, or the reason Spark aborted
   * it (then the tables are still assembled from what was committed, and the run's state is {@code aborted}).
   */
  public record StageResult(long processed, String abortReason) {
    public boolean aborted() {
      return abortReason != null;
    }
  }

  /** Runs {@code task} over {@code buckets} (one partition each); never throws for what a task did. */
  public static <I, W, R extends ItemRecord> StageResult runStage(JavaSparkContext jsc, String description,
      List<List<I>> buckets, ItemTask<I, W, R> task) {
    if (buckets.isEmpty()) {
      return new StageResult(0, null);
    }
    long start = System.currentTimeMillis();
    jsc.setJobDescription(description);
    try {
      long n = jsc.parallelize(buckets, buckets.size()).mapPartitions(task)
          .filter(r -> r.finishedAtMs() >= start).count();
      return new StageResult(n, null);
    } catch (Exception e) { // Spark throws the checked SparkException when a task fails all its attempts
      String reason = abortReason(e);
      LOG.error("stage aborted: {}", reason);
      return new StageResult(0, reason);
    }
  }

  /** Spark's abort message is a stack trace per attempt; its first line and the failing task's error suffice. */
  static String abortReason(Throwable e) {
    String msg = String.valueOf(e.getMessage());
    String first = msg.lines().findFirst().orElse(msg).strip();
    return first.length() > 600 ? first.substring(0, 600) + " …" : first;
  }

  /** Deals items out round-robin into at most {@code partitions} buckets (items of a job cost about the same). */
  public static <I> List<List<I>> buckets(List<I> items, int partitions) {
    List<List<I>> buckets = new ArrayList<>();
    for (int i = 0; i < Math.min(Math.max(1, partitions), items.size()); i++) {
      buckets.add(new ArrayList<>());
    }
    for (int i = 0; i < items.size(); i++) {
      buckets.get(i % buckets.size()).add(items.get(i));
    }
    return buckets;
  }

  /**
   * Commits one table of the job: its CSV copy atomically, and its Parquet copy so that no reader ever finds a
   * half-written table under the final name. On a real filesystem the table is written under a temporary name
   * and renamed onto the final one (a kill leaves the old table or the new one, plus a temporary directory the
   * next run removes); on an object store Spark's committer writes it (configure the S3A committers, see
   * submit/spark-submit-gpu.sh) and {@code _SUCCESS} marks it complete.
   */
  public static void commitTable(byte[] csv, Path csvPath, Dataset<Row> table, Path parquetPath, Path tmp,
      Configuration conf) throws IOException {
    FsCommit.commitBytes(csv, csvPath, tmp, conf);
    FileSystem fs = parquetPath.getFileSystem(conf);
    if (FsCommit.isObjectStore(fs)) {
      table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(parquetPath.toString());
      return;
    }
    Path staged = new Path(tmp, parquetPath.getName() + "." + UUID.randomUUID());
    table.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staged.toString());
    Path old = new Path(tmp, parquetPath.getName() + ".old." + UUID.randomUUID());
    boolean hadOld = fs.exists(parquetPath);
    if (hadOld && !fs.rename(parquetPath, old)) {
      throw new IOException("could not move " + parquetPath + " aside to " + old);
    }
    if (!fs.rename(staged, parquetPath)) {
      if (hadOld) {
        fs.rename(old, parquetPath);
      }
      throw new IOException("could not rename " + staged + " to " + parquetPath);
    }
    if (hadOld) {
      fs.delete(old, true);
    }
  }
}
