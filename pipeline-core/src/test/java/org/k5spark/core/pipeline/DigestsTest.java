package org.k5spark.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {
  @TempDir Path tmp;
  private String oldProperty;

  @BeforeEach
  void isolateCache() {
    oldProperty = System.getProperty(Digests.CACHE_PROPERTY);
    System.setProperty(Digests.CACHE_PROPERTY, tmp.resolve("cache").toString());
    Digests.clearMemo();
  }

  @AfterEach
  void restore() {
    if (oldProperty == null) {
      System.clearProperty(Digests.CACHE_PROPERTY);
    } else {
      System.setProperty(Digests.CACHE_PROPERTY, oldProperty);
    }
    Digests.clearMemo();
  }

  @Test
  void fileDigestIsSha256OfNameAndContent() throws Exception {
    Path f = Files.writeString(tmp.resolve("w.safetensors"), "weights");
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update("".getBytes(StandardCharsets.UTF_8)); // a file's relative name to itself is empty
    md.update("weights".getBytes(StandardCharsets.UTF_8));
    assertEquals("sha256:" + HexFormat.of().formatHex(md.digest()), Digests.ofPath(f));
  }

  @Test
  void aNewJvmReusesTheCachedDigestUntilSizeOrMtimeChange() throws Exception {
    Path f = Files.writeString(tmp.resolve("w.safetensors"), "weights");
    String real = Digests.ofPath(f);
    List<Path> entries;
    try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
      entries = s.toList();
    }
    assertEquals(1, entries.size());
    assertEquals(real, Files.readString(entries.get(0)));

    // a different JVM (no memo) trusts the cache entry for the same path, size and mtime
    String planted = "sha256:" + "ab".repeat(32);
    Files.writeString(entries.get(0), planted);
    Digests.clearMemo();
    assertEquals(planted, Digests.ofPath(f));

    // rewritten with another size: digested again
    Files.writeString(f, "weights, fine-tuned");
    Digests.clearMemo();
    String changed = Digests.ofPath(f);
    assertNotEquals(real, changed);
    assertNotEquals(planted, changed);

    // a garbled cache entry is ignored, not trusted
    try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
      for (Path e : s.toList()) {
        Files.writeString(e, "not a digest");
      }
    }
    Digests.clearMemo();
    assertEquals(changed, Digests.ofPath(f));
  }

  @Test
  void directoriesCoverEveryFileAndTheirNames() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("ckpt"));
    Files.writeString(d.resolve("a.bin"), "1");
    Files.writeString(d.resolve("b.bin"), "2");
    String before = Digests.ofPath(d);
    Files.move(d.resolve("b.bin"), d.resolve("c.bin"));
    Files.setLastModifiedTime(d.resolve("c.bin"), FileTime.fromMillis(0));
    assertNotEquals(before, Digests.ofPath(d), "a renamed file changes the directory's digest");
  }
}
