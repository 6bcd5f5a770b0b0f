package org.k5spark.jobs.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Model config and weights can live on any Hadoop FS; the pipeline wants local files (mmap). A remote
 * location is copied once per machine into {@code <localRoot>/k5-models/<hash of uri>/} (by default
 * {@code <java.io.tmpdir>/k5-models}, one cache for generate, evaluate and nightly) and reused by every task and
 * executor there; local paths are used in place. The copy is staged in this JVM's {@link LocalScratch}, so a
 * copy cut short by a kill is removed by the next JVM instead of lying beside the cache forever.
 */
public final class ModelFiles {
  private ModelFiles() {}

  /** "tiny", "sft_5s": a config embedded in the jar (configs/model/NAME.yaml), not a location to copy. */
  public static boolean isEmbeddedConfigName(String uri) {
    return uri != null && !uri.isBlank() && !uri.contains("/") && !uri.endsWith(".yaml") && !uri.endsWith(".yml")
        && !java.nio.file.Files.exists(java.nio.file.Path.of(uri));
  }

  /** {@link #localize(String, Configuration, java.nio.file.Path)} into the machine's cache under java.io.tmpdir. */
  public static String localize(String uri, Configuration conf) throws IOException {
    return localize(uri, conf, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
  }

  public static String localize(String uri, Configuration conf, java.nio.file.Path localRoot) throws IOException {
    if (isEmbeddedConfigName(uri)) {
      return uri;
    }
    try {
      return localizeOrThrow(uri, conf, localRoot);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fingerprint(FileSystem fs, Path src) throws IOException {
    long bytes = 0;
    long newest = 0;
    int files = 0;
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(src, true);
    while (it.hasNext()) {
      org.apache.hadoop.fs.LocatedFileStatus st = it.next();
      bytes += st.getLen();
      newest = Math.max(newest, st.getModificationTime());
      files++;
    }
    return files + ":" + bytes + ":" + newest;
  }

  private static String localizeOrThrow(String uri, Configuration conf, java.nio.file.Path localRoot)
      throws IOException, java.security.NoSuchAlgorithmException {
    if (uri == null || uri.isBlank()) {
      return uri;
    }
    Path src = new Path(uri);
    FileSystem fs = src.getFileSystem(conf);
    if (fs instanceof LocalFileSystem || "file".equals(fs.getScheme())) {
      return fs.makeQualified(src).toUri().getPath();
    }
    // the cache key includes size and modification time: a model replaced under the same URI is fetched again
    String version = fs.makeQualified(src) + "|" + fingerprint(fs, src);
    String hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(version.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
    java.nio.file.Path dir = localRoot.resolve("k5-models").resolve(hash);
    java.nio.file.Path dest = dir.resolve(src.getName());
    java.nio.file.Path done = dir.resolve(".complete");
    if (Files.exists(done)) {
      return dest.toString();
    }
    synchronized (ModelFiles.class) {
      if (Files.exists(done)) {
        return dest.toString();
      }
      // copy beside, then move: a concurrent executor on the same node never sees a half-copied model
      java.nio.file.Path staging = LocalScratch.dir().resolve("k5-models-" + hash + "." + UUID.randomUUID());
      Files.createDirectories(staging);
      Files.createDirectories(dir.getParent());
      fs.copyToLocalFile(false, src, new Path(staging.resolve(src.getName()).toUri()), true);
      Files.createFile(staging.resolve(".complete"));
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.exists(done)) {
          throw e;
        }
        org.apache.hadoop.fs.FileUtil.fullyDelete(staging.toFile());
      }
      return dest.toString();
    }
  }
}
