package org.k5spark.jobs.spark.items;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * SHA-256 of an item's payload (a video), recorded in its part at commit and checked before a re-run trusts
 * it: a same-size corruption is caught, where a size check is not. Hashing runs on the executors, next to the
 * work, at disk or network speed.
 */
public final class PayloadDigest {
  private PayloadDigest() {}

  public static String of(java.nio.file.Path local) throws IOException {
    try (InputStream in = Files.newInputStream(local)) {
      return of(in);
    }
  }

  public static String of(byte[] bytes) {
    try {
      return of(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String of(Path path, Configuration conf) throws IOException {
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return of(in);
    }
  }

  private static String of(InputStream in) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
