package org.k5spark.jobs.spark.items;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
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
   * Test hook (never set in production): a file name; the job's commit writes it and then waits before putting a
   * Parquet copy under its final name, so a process-level test can kill -9 the driver at the worst moment.
   */
  public static final String STALL_ENV = "K5_TEST_STALL_TABLE_COMMIT";

  /**
   * Commits one table of the job: its CSV copy atomically ({@link FsCommit}), then its Parquet copy so that no
   * reader ever finds a half-written table under the final name, on any filesystem and with any Spark committer:
   * Spark writes the table (one partition) under {@code tmp}; its one data file is then committed into the final
   * directory under a fixed name, {@code part-00000<.codec>.parquet}, by {@link FsCommit} (a rename onto the old
   * file on file:/hdfs:, one PUT replacing it on an object store, where a directory rename would be a non-atomic
   * copy of every object). A kill at any moment leaves the old table or the new one, plus staging under
   * {@code tmp} that the next run removes; the next run rebuilds both copies from the part files.
   */
  public static void commitTable(byte[] csv, Path csvPath, Dataset<Row> table, Path parquetPath, Path tmp,
      Configuration conf) throws IOException {
    FsCommit.commitBytes(csv, csvPath, tmp, conf);
    FileSystem fs = parquetPath.getFileSystem(conf);
    Path staged = new Path(tmp, parquetPath.getName() + "." + UUID.randomUUID());
    table.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staged.toString());
    List<Path> data = new ArrayList<>();
    for (FileStatus st : fs.listStatus(staged)) {
      String n = st.getPath().getName();
      if (st.isFile() && n.startsWith("part-") && n.endsWith(".parquet")) {
        data.add(st.getPath());
      }
    }
    if (data.size() != 1) {
      throw new IOException("expected one Parquet data file in " + staged + ", found " + data.size());
    }
    String name = data.get(0).getName();
    // part-00000-<uuid>-c000.snappy.parquet -> part-00000.snappy.parquet: the same name on every run
    Path dest = new Path(parquetPath, "part-00000" + name.substring(name.indexOf('.')));
    stallForTest(dest);
    FsCommit.commitCopy(data.get(0), dest, tmp, conf);
    for (FileStatus st : fs.listStatus(parquetPath)) {
      if (!st.getPath().getName().equals(dest.getName())) {
        // an older layout's part-<uuid> files or a _SUCCESS: readers must see the committed file alone
        fs.delete(st.getPath(), true);
      }
    }
    fs.delete(staged, true);
  }

  private static void stallForTest(Path dest) throws IOException {
    String marker = System.getenv(STALL_ENV);
    if (marker == null || marker.isBlank()) {
      return;
    }
    java.nio.file.Files.writeString(java.nio.file.Path.of(marker), dest.toString());
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted in the " + STALL_ENV + " hook", e);
    }
  }
}
