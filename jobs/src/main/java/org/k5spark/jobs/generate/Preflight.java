package org.k5spark.jobs.generate;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver's look at a generate run's inputs and output root before any Spark job: a missing prompt CSV, a
 * file that is not UTF-8, or an output root nobody can write would otherwise surface as a 16–20-line stack trace
 * (or, for an empty CSV, as a silent empty run). Every problem is an {@link IllegalArgumentException} of one line.
 *
 * <p>The CSVs are parsed here once more than the job does: prompt files are small (capped at 512 MiB, typically
 * kilobytes), and knowing which file is empty lets the warning name it.
 */
final class Preflight {
  private static final String PROBE = ".k5-write-probe";

  private Preflight() {}

  /** Reads every prompt CSV (failing on the first unreadable one); returns those that hold no rows (header only). */
  static List<String> emptyPromptFiles(GenerateConfig cfg, Configuration conf) {
    List<String> empty = new ArrayList<>();
    PromptReader reader = new PromptReader(cfg.readerOptions());
    for (String csv : cfg.prompts()) {
      if (reader.read(csv, bytes(csv, conf)).isEmpty()) {
        empty.add(csv);
      }
    }
    return empty;
  }

  private static byte[] bytes(String csv, Configuration conf) {
    Path p = new Path(csv);
    try {
      FileSystem fs = p.getFileSystem(conf);
      FileStatus st = fs.getFileStatus(p);
      if (st.isDirectory()) {
        throw new IllegalArgumentException(csv + ": is a directory, not a prompt CSV");
      }
      try (var in = fs.open(p)) {
        return in.readAllBytes();
      }
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException(csv + ": no such prompt file");
    } catch (IOException e) {
      throw new IllegalArgumentException(csv + ": cannot read the prompt file (" + oneLine(e) + ")");
    }
  }

  /** Creates the run directory and writes and deletes a probe file in it: the job's first writes, done early. */
  static void requireWritable(GenerateConfig cfg, Configuration conf) {
    Path runDir = cfg.layout().runDir();
    String out = cfg.out();
    try {
      FileSystem fs = runDir.getFileSystem(conf);
      if (!fs.mkdirs(runDir)) {
        throw new IllegalArgumentException(out + ": cannot create the run directory " + runDir);
      }
      Path probe = new Path(runDir, PROBE);
      try (FSDataOutputStream o = fs.create(probe, true)) {
        o.write('k');
      }
      fs.delete(probe, false);
    } catch (IOException e) {
      throw new IllegalArgumentException(out + ": output root is not writable (" + oneLine(e) + ")");
    }
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
