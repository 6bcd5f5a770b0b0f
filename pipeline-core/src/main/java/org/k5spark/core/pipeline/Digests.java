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

/** SHA-256 digests that identify a checkpoint and a config in manifests and nightly runs. */
public final class Digests {
  private Digests() {}

  /** sha256 of a file, or of a directory's regular files (sorted relative names + contents). */
  public static String ofPath(Path p) {
    MessageDigest md = sha256();
    try {
      List<Path> files;
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          files = s.filter(Files::isRegularFile).sorted().toList();
        }
      } else {
        files = List.of(p);
      }
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
