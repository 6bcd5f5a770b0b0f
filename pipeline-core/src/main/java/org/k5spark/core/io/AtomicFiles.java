package org.k5spark.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a local file through a temp file in the target directory and an atomic rename, so readers never
 * see a half-written checkpoint, video, report or CSV, and a crash leaves the old file or none. The result
 * is rw-r--r-- (createTempFile alone would leave it 0600, unreadable to other users and executors).
 * Hadoop filesystems (s3a, hdfs) go through eval's store.FsCommit instead.
 */
public final class AtomicFiles {
  /** Body of a text write: fills the writer (UTF-8). */
  @FunctionalInterface
  public interface Body {
    void write(Writer w) throws IOException;
  }

  /** Body of a binary write: fills the stream (buffered). */
  @FunctionalInterface
  public interface BinaryBody {
    void write(OutputStream out) throws IOException;
  }

  /** Body that writes a file itself (e.g. a native encoder given a path). */
  @FunctionalInterface
  public interface FileBody {
    void write(Path tmp) throws IOException;
  }

  private AtomicFiles() {
  }

  public static void writeAtomically(Path file, String text) throws IOException {
    write(file, w -> w.write(text));
  }

  public static void write(Path file, Body body) throws IOException {
    writeFile(file, tmp -> {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(w);
      }
    });
  }

  public static void writeBytes(Path file, BinaryBody body) throws IOException {
    writeFile(file, tmp -> {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        body.write(os);
      }
    });
  }

  public static void copy(InputStream in, Path file) throws IOException {
    writeBytes(file, in::transferTo);
  }

  /** The general form: {@code body} writes the temp file (hidden, beside the target), which then replaces it. */
  public static void writeFile(Path file, FileBody body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      body.write(tmp);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // non-POSIX file system: keep its default permissions
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
