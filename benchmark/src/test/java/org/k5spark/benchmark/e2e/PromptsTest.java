package org.k5spark.benchmark.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsTest {
  @TempDir Path dir;

  @Test
  void readsThePromptColumnAndCycles() throws Exception {
    Path csv = dir.resolve("p.csv");
    Files.writeString(csv, "id,prompt,extra\n1,\"a cat, sleeping\",x\n2,,y\n3,a dog,z\n");
    assertEquals(List.of("a cat, sleeping", "a dog", "a cat, sleeping"), Prompts.load(csv, 3));
  }

  @Test
  void fallsBackToTheBuiltInList() {
    List<String> p = Prompts.load(dir.resolve("missing.csv"), 2);
    assertEquals(Prompts.BUILT_IN.subList(0, 2), p);
  }

  @Test
  void csvWithoutPromptColumnNamesTheFile() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "text\nhello\n");
    var e = assertThrows(IllegalArgumentException.class, () -> Prompts.load(csv, 1));
    assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("prompt"), e.getMessage());
  }

  @Test
  void optionsParseAndCheckModeUsesOnePrompt() {
    var o = EndToEndBenchmark.parse(new String[] {"--config", "configs/model/tiny.yaml", "--prompts", "5", "--check"});
    assertEquals("configs/model/tiny.yaml", o.config());
    assertEquals(1, o.prompts());
    assertTrue(o.check());
    assertThrows(IllegalArgumentException.class, () -> EndToEndBenchmark.parse(new String[] {"--prompts", "0"}));
    assertThrows(IllegalArgumentException.class, () -> EndToEndBenchmark.parse(new String[] {"--bogus"}));
  }
}
