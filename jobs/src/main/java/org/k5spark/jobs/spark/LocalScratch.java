package org.k5spark.jobs.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor-local scratch space for payloads on their way to storage (an MP4 between the encoder and the
 * upload): {@code <java.io.tmpdir>/k5-scratch/<pid>/}, one directory per JVM, removed when the JVM exits. A JVM
 * killed with -9 cannot remove its own, so the first use in the next JVM removes those of processes that are
 * gone.
 */
public final class LocalScratch {
  private static final Logger LOG = LoggerFactory.getLogger(LocalScratch.class);
  private static Path dir;

  private LocalScratch() {}

  public static Path root() {
    return Path.of(System.getProperty("java.io.tmpdir"), "k5-scratch");
  }

  /** This JVM's scratch directory (created, and the dead JVMs' ones removed, on first use). */
  public static synchronized Path dir() throws IOException {
    if (dir == null) {
      Path root = Files.createDirectories(root());
      removeDeadJvmDirs(root);
      Path own = Files.createDirectories(root.resolve(Long.toString(ProcessHandle.current().pid())));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(own), "k5-scratch-cleanup"));
      dir = own;
    }
    return dir;
  }

  private static void removeDeadJvmDirs(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.matches("\\d+") && ProcessHandle.of(Long.parseLong(name)).isEmpty()) {
          LOG.info("removing scratch of a JVM that is gone: {}", p);
          delete(p);
        }
      }
    }
  }

  private static void delete(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot remove {}: {}", p, e.toString());
    }
  }
}
