package org.k5spark.core.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.io.AtomicFiles;

/** SHA-256 digests that identify a checkpoint and a config in manifests and nightly runs. */
public final class Digests {
  private Digests() {}

  /**
   * Where digests of large files are remembered between JVMs (each executor start would otherwise re-read a
   * multi-GB checkpoint): {@code -Dk5.digestCache=<dir>}, default {@code <java.io.tmpdir>/k5spark-digests}.
   */
  public static final String CACHE_PROPERTY = "k5.digestCache";
  private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");
  private static final java.util.Map<String, String> MEMO = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * sha256 of a file, or of a directory's regular files (sorted relative names + contents). Remembered per
   * absolute path, size and modification time of every file (in this JVM and in the cache directory), as
   * make and rsync decide what changed: rewriting a checkpoint in place with the same size and mtime would
   * go unnoticed.
   */
  public static String ofPath(Path p) {
    List<Path> files = files(p);
    StringBuilder stamp = new StringBuilder(p.toAbsolutePath().normalize().toString());
    try {
      for (Path f : files) {
        stamp.append('|').append(p.relativize(f)).append(':').append(Files.size(f)).append(':')
            .append(Files.getLastModifiedTime(f).toMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot digest " + p, e);
    }
    String key = ofString(stamp.toString());
    return MEMO.computeIfAbsent(key, k -> cached(k).orElseGet(() -> remember(k, digest(p, files))));
  }

  private static List<Path> files(Path p) {
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot digest " + p, e);
    }
  }

  private static String digest(Path p, List<Path> files) {
    MessageDigest md = sha256();
    try {
      byte[] buf = new byte[1 << 20];
      for (Path f : files) {
        md.update(p.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(f)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot digest " + p, e);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  static Path cacheDir() {
    String dir = System.getProperty(CACHE_PROPERTY);
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), "k5spark-digests");
  }

  private static java.util.Optional<String> cached(String key) {
    try {
      String s = Files.readString(cacheDir().resolve(key)).trim();
      return DIGEST.matcher(s).matches() ? java.util.Optional.of(s) : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty(); // absent or unreadable: compute it
    }
  }

  /** Best effort: a read-only or full cache directory only costs the next JVM a re-read. */
  private static String remember(String key, String digest) {
    try {
      AtomicFiles.writeAtomically(cacheDir().resolve(key), digest);
    } catch (IOException | UnsupportedOperationException e) {
      // keep the digest for this JVM only
    }
    return digest;
  }

  /** Forget this JVM's remembered digests (tests). */
  static void clearMemo() {
    MEMO.clear();
  }

  /** sha256 of the config's identity-relevant content (its record form; stable across runs). */
  public static String ofConfig(ModelConfig c) {
    String s = c.variant() + "|" + c.numSteps() + "|" + c.guidanceWeight() + "|" + c.ditParams() + "|"
        + c.attention() + "|" + java.util.Arrays.toString(c.metrics().scaleFactor()) + "|" + c.metrics().schedulerScale()
        + "|" + c.resolutions() + "|" + c.fps() + "|" + c.defaultSeconds();
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  public static String ofString(String s) {
    return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
