package org.k5spark.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  @TempDir Path tmp;

  @Test
  void localModelPathsAreUsedInPlace() throws Exception {
    Path model = Files.writeString(tmp.resolve("m.yaml"), "x: 1\n");
    assertEquals(model.toString(), ModelFiles.localize(model.toString(), new Configuration(), tmp.resolve("cache")));
    assertEquals(model.toString(), ModelFiles.localize(model.toUri().toString(), new Configuration(), tmp.resolve("cache")));
    assertEquals(null, ModelFiles.localize(null, new Configuration(), tmp));
    assertFalse(Files.exists(tmp.resolve("cache")));
  }
}
