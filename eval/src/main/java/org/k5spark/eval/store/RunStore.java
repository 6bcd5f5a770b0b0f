package org.k5spark.eval.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where runs live: one Hadoop-FileSystem layer that every command reading or writing a run goes through, so a
 * location may be a plain path, {@code file:}, {@code s3a://}, {@code hdfs://} or any other Hadoop scheme. Plain
 * paths resolve against {@code fs.defaultFS} (the local filesystem unless a core-site.xml says otherwise), as
 * {@code k5 generate} and {@code k5 evaluate} resolve them. Writes are atomic ({@link FsCommit}): a reader finds
 * the old file or the new one, never a partial one. Every failure is a {@link RunStoreException} whose message is
 * one line naming the location.
 */
public final class RunStore {
  private final Configuration conf;

  public RunStore(Configuration conf) {
    this.conf = conf;
  }

  /**
   * A store on a fresh Hadoop configuration (core-site.xml etc. from the classpath) plus {@code overrides}: keys
   * as Hadoop spells them ({@code fs.s3a.endpoint}) or as Spark does ({@code spark.hadoop.fs.s3a.endpoint}).
   */
  public static RunStore withConf(Map<String, String> overrides) {
    Configuration c = new Configuration();
    overrides.forEach((k, v) -> c.set(k.startsWith("spark.hadoop.") ? k.substring("spark.hadoop.".length()) : k, v));
    return new RunStore(c);
  }

  public Configuration conf() {
    return conf;
  }

  /** The fully qualified location ({@code file:/abs/dir}, {@code s3a://bucket/key}) a user string names. */
  public Path location(String location) throws RunStoreException {
    if (location == null || location.isBlank()) {
      throw new RunStoreException("empty location");
    }
    try {
      Path p = new Path(location);
      return fs(p).makeQualified(p);
    } catch (IllegalArgumentException e) {
      throw new RunStoreException(location + ": not a path or URI (" + e.getMessage() + ")");
    }
  }

  public boolean isFile(Path p) throws RunStoreException {
    try {
      return fs(p).getFileStatus(p).isFile();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw unreadable(p, e);
    }
  }

  public boolean isDirectory(Path p) throws RunStoreException {
    try {
      return fs(p).getFileStatus(p).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw unreadable(p, e);
    }
  }

  /** Opens a file to read; a missing one is "LOCATION: no such file". */
  public InputStream open(Path p) throws RunStoreException {
    try {
      FileSystem fs = fs(p);
      if (!fs.getFileStatus(p).isFile()) {
        throw new RunStoreException(p + ": is a directory, expected a file");
      }
      return fs.open(p);
    } catch (FileNotFoundException e) {
      throw new RunStoreException(p + ": no such file");
    } catch (RunStoreException e) {
      throw e;
    } catch (IOException e) {
      throw unreadable(p, e);
    }
  }

  public Reader reader(Path p) throws RunStoreException {
    return new java.io.InputStreamReader(open(p), StandardCharsets.UTF_8);
  }

  public byte[] readBytes(Path p) throws RunStoreException {
    try (InputStream in = open(p)) {
      return in.readAllBytes();
    } catch (RunStoreException e) {
      throw e;
    } catch (IOException e) {
      throw unreadable(p, e);
    }
  }

  /** The files directly in {@code dir} whose names end with {@code suffix}, sorted by name. */
  public List<Path> list(Path dir, String suffix) throws RunStoreException {
    List<Path> out = new ArrayList<>();
    try {
      for (FileStatus st : fs(dir).listStatus(dir)) {
        if (st.isFile() && st.getPath().getName().endsWith(suffix)) {
          out.add(st.getPath());
        }
      }
    } catch (FileNotFoundException e) {
      throw new RunStoreException(dir + ": no such directory");
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }

  /** Writes {@code bytes} to {@code dest} atomically (staged beside it on a filesystem, one PUT on a store). */
  public void write(Path dest, byte[] bytes) throws RunStoreException {
    try {
      FsCommit.commitBytes(bytes, dest, dest.getParent(), conf);
    } catch (IOException e) {
      throw unwritable(dest, e);
    }
  }

  public void write(Path dest, String text) throws RunStoreException {
    write(dest, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Copies {@code src} to {@code dest} (any two Hadoop filesystems), atomically at the destination. */
  public long copy(Path src, Path dest) throws RunStoreException {
    try (InputStream in = open(src)) {
      return FsCommit.commit(in, dest, dest.getParent(), conf);
    } catch (RunStoreException e) {
      throw e;
    } catch (IOException e) {
      throw unwritable(dest, e);
    }
  }

  private FileSystem fs(Path p) throws RunStoreException {
    try {
      return p.getFileSystem(conf);
    } catch (IOException e) {
      throw new RunStoreException(p + ": " + firstLine(e), e);
    }
  }

  private static RunStoreException unreadable(Path p, IOException e) {
    return new RunStoreException(p + ": cannot read (" + firstLine(e) + ")", e);
  }

  private static RunStoreException unwritable(Path p, IOException e) {
    return new RunStoreException(p + ": cannot write (" + firstLine(e) + ")", e);
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }
}
