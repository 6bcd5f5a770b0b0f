package org.k5spark.eval.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file through a temp file in the target directory and an atomic rename, so readers never see
 * a half-written report or CSV. The result is rw-r--r-- (createTempFile alone would leave it 0600).
 */
public final class AtomicFiles {
  /** Body of a write: fills the writer. */
  @FunctionalInterface
  public interface Body {
    void write(Writer w) throws IOException;
  }

  private AtomicFiles() {
  }

  public static void writeAtomically(Path file, String text) throws IOException {
    write(file, w -> w.write(text));
  }

  public static void write(Path file, Body body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(w);
      }
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
