package org.k5spark.eval.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a file to any Hadoop FS so that no reader ever sees a partial object.
 *
 * <p>On a real filesystem (file://, hdfs://) the bytes go to a temporary name under {@code tmpDir}
 * and are then renamed onto the destination (an atomic metadata operation). On an object store
 * (s3a://, gs://, ...) a rename is a copy plus delete, not atomic, and would leave a visible
 * temporary object; but a single PUT (or a multipart upload, completed on close) only becomes visible
 * once it is whole, so there the destination is written directly.
 */
public final class FsCommit {
  private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn", "obs");

  private FsCommit() {}

  public static boolean isObjectStore(FileSystem fs) {
    String scheme = fs.getScheme();
    return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  /** Uploads a local file to {@code dest}; returns the number of bytes committed. */
  public static long commitFile(java.nio.file.Path local, Path dest, Path tmpDir, Configuration conf) throws IOException {
    try (InputStream in = Files.newInputStream(local)) {
      return commit(in, dest, tmpDir, conf);
    }
  }

  public static long commitBytes(byte[] bytes, Path dest, Path tmpDir, Configuration conf) throws IOException {
    return commit(new java.io.ByteArrayInputStream(bytes), dest, tmpDir, conf);
  }

  /** Copies {@code src} (any Hadoop FS) to {@code dest} (any other); returns the number of bytes committed. */
  public static long commitCopy(Path src, Path dest, Path tmpDir, Configuration conf) throws IOException {
    try (InputStream in = src.getFileSystem(conf).open(src)) {
      return commit(in, dest, tmpDir, conf);
    }
  }

  /** Commits what {@code in} holds (read to its end, not closed here) to {@code dest}. */
  public static long commit(InputStream in, Path dest, Path tmpDir, Configuration conf) throws IOException {
    FileSystem fs = dest.getFileSystem(conf);
    if (isObjectStore(fs)) {
      try (FSDataOutputStream out = fs.create(dest, true)) {
        return in.transferTo(out);
      }
    }
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRawFileSystem(); // no hidden .crc sidecar beside every video and part
    }
    Path tmp = new Path(tmpDir, dest.getName() + "." + UUID.randomUUID() + ".tmp");
    long n;
    try (OutputStream out = fs.create(tmp, false)) {
      n = in.transferTo(out);
    } catch (IOException | RuntimeException e) {
      fs.delete(tmp, false);
      throw e;
    }
    fs.mkdirs(dest.getParent());
    if (!fs.rename(tmp, dest)) {
      // HDFS refuses to rename onto an existing file: replace it (same prompt, same seed, same content)
      fs.delete(dest, false);
      if (!fs.rename(tmp, dest)) {
        fs.delete(tmp, false);
        throw new IOException("could not rename " + tmp + " to " + dest);
      }
    }
    return n;
  }
}
