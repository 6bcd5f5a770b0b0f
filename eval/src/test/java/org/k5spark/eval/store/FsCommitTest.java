package org.k5spark.eval.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsCommitTest {
  @TempDir Path tmp;

  @Test
  void renameCommitReplacesAndLeavesNoTemporaryOrChecksumFiles() throws Exception {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path dest = new org.apache.hadoop.fs.Path(tmp.resolve("run/videos/a.mp4").toUri());
    org.apache.hadoop.fs.Path tmpDir = new org.apache.hadoop.fs.Path(tmp.resolve("run/_tmp").toUri());
    assertEquals(5, FsCommit.commitBytes("first".getBytes(StandardCharsets.UTF_8), dest, tmpDir, conf));
    assertEquals(6, FsCommit.commitBytes("second".getBytes(StandardCharsets.UTF_8), dest, tmpDir, conf));
    assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(tmp.resolve("run/videos/a.mp4")));
    try (Stream<Path> s = Files.walk(tmp)) {
      List<String> files = s.filter(Files::isRegularFile).map(p -> tmp.relativize(p).toString()).toList();
      assertEquals(List.of("run/videos/a.mp4"), files);
    }
    assertFalse(FsCommit.isObjectStore(org.apache.hadoop.fs.FileSystem.getLocal(conf)));
  }
}
