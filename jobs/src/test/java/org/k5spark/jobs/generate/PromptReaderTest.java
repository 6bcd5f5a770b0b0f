package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PromptReaderTest {
  private final PromptReader reader = new PromptReader(PromptReader.Options.defaults());

  /** The broken-rows fixture shared with the end-to-end test; line numbers are asserted below. */
  static byte[] brokenCsv() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    String[] lines = {
        "prompt,concept,motion_level",                                   // 1
        "\"A cat, on a mat\",animal,low",                                  // 2
        "\"A dog",                                                         // 3 (multi-line field)
        "running on the beach\",\"animal, scene\",HIGH",                  // 4
        "\"an unbalanced quote starts here,animal,low",                   // 5 rejected
        "A bird flies over ../../etc/passwd,animal,medium",               // 6
        "\"<b>HTML</b> <script>alert(1)</script> prompt\",scene,low",     // 7
        ",scene,low",                                                      // 8 rejected: empty
        "\"   \",scene,low",                                               // 9 rejected: blank
        "A fox,animal,low,extra",                                          // 10 rejected: extra column
        "\"A cat, on a mat\",animal,low",                                  // 11 duplicate of 2
        "\"A  cat,  on a mat \",animal,low",                               // 12 same after normalising
        "",                                                                // 13 blank line: skipped
        "\"" + "x".repeat(20_000) + "\",scene,low",                        // 14 rejected: too long
    };
    for (String l : lines) {
      b.writeBytes((l + "\n").getBytes(StandardCharsets.UTF_8));
    }
    b.writeBytes("bad utf8 ".getBytes(StandardCharsets.UTF_8));           // 15 rejected: invalid UTF-8
    b.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
    b.writeBytes(",scene,low\n".getBytes(StandardCharsets.UTF_8));
    b.writeBytes("A red balloon rises,scene,low\n".getBytes(StandardCharsets.UTF_8)); // 16
    b.writeBytes("\"unterminated at the end,scene,low\n".getBytes(StandardCharsets.UTF_8)); // 17 rejected
    return b.toByteArray();
  }

  @Test
  void brokenRowsAreRejectedWithReasonAndLineAndTheRestIsRead() {
    List<PromptRecord> rows = reader.read("broken.csv", brokenCsv());
    Map<Integer, PromptRecord> byLine = rows.stream().collect(Collectors.toMap(PromptRecord::sourceLine, Function.identity()));
    assertEquals(List.of(2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17),
        rows.stream().map(PromptRecord::sourceLine).toList());

    assertEquals("A cat, on a mat", byLine.get(2).prompt());
    assertEquals(List.of("animal"), byLine.get(2).concepts());
    assertEquals("A dog running on the beach", byLine.get(3).prompt());
    assertEquals(List.of("animal", "scene"), byLine.get(3).concepts());
    assertEquals("high", byLine.get(3).motionLevel());
    assertTrue(byLine.get(5).rejection().startsWith("unparseable CSV row"), byLine.get(5).rejection());
    assertEquals("A bird flies over ../../etc/passwd", byLine.get(6).prompt());
    assertTrue(byLine.get(6).accepted());
    assertTrue(byLine.get(7).accepted());
    assertEquals("empty prompt", byLine.get(8).rejection());
    assertEquals("empty prompt", byLine.get(9).rejection());
    assertTrue(byLine.get(10).rejection().contains("row has 4 fields, header has 3"), byLine.get(10).rejection());
    assertEquals(byLine.get(2).promptId(), byLine.get(11).promptId());
    assertEquals(byLine.get(2).promptId(), byLine.get(12).promptId());
    assertEquals(byLine.get(2).seed(), byLine.get(12).seed());
    assertEquals("prompt has 20000 characters, over the limit of 8000", byLine.get(14).rejection());
    assertEquals("invalid UTF-8 in column 'prompt'", byLine.get(15).rejection());
    assertEquals("A red balloon rises", byLine.get(16).prompt());
    assertTrue(byLine.get(17).rejection().startsWith("unparseable CSV row"), byLine.get(17).rejection());

    long accepted = rows.stream().filter(PromptRecord::accepted).count();
    assertEquals(7, accepted);
    for (PromptRecord r : rows) {
      if (r.accepted()) {
        assertTrue(r.promptId().matches("[0-9a-f]{16}"), r.promptId());
        assertTrue(r.seed() >= 0 && r.seed() <= Integer.MAX_VALUE);
        assertNull(r.rejection());
      } else {
        assertNull(r.promptId());
      }
    }
  }

  @Test
  void idsAndSeedsDependOnContentNotPosition() {
    String a = "prompt,concept\n\"first prompt\",scene\n\"second prompt\",animal\n";
    String b = "concept,prompt\nanimal,second prompt\nscene,first prompt\n";
    List<PromptRecord> ra = reader.read("a.csv", a.getBytes(StandardCharsets.UTF_8));
    List<PromptRecord> rb = reader.read("b.csv", b.getBytes(StandardCharsets.UTF_8));
    assertEquals(ra.get(0).promptId(), rb.get(1).promptId());
    assertEquals(ra.get(0).seed(), rb.get(1).seed());
    assertNotEquals(ra.get(0).promptId(), ra.get(1).promptId());
    assertEquals(PromptIds.promptId("first prompt"), ra.get(0).promptId());
    // the seed follows the base seed
    PromptReader other = new PromptReader(PromptReader.Options.defaults().withBaseSeed(7));
    assertNotEquals(ra.get(0).seed(), other.read("a.csv", a.getBytes(StandardCharsets.UTF_8)).get(0).seed());
  }

  @Test
  void missingPromptColumnNamesTheFile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reader.read("nope.csv", "text,concept\nhello,scene\n".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("nope.csv") && e.getMessage().contains("'prompt'"), e.getMessage());
  }

  @Test
  void customPromptColumnAndExpandedPrompt() {
    String csv = "id,text,expanded_prompt\n1,short,a much longer expanded prompt\n2,only short,\n";
    PromptReader r = new PromptReader(new PromptReader.Options("text", "expanded_prompt", true, "concept",
        "motion_level", 8000, 42));
    List<PromptRecord> rows = r.read("c.csv", csv.getBytes(StandardCharsets.UTF_8));
    assertEquals("a much longer expanded prompt", rows.get(0).prompt());
    assertEquals("only short", rows.get(1).prompt());
    assertEquals(List.of(), rows.get(0).concepts());
  }

  @Test
  void shippedSampleAndMovieGenSchemaParse() throws Exception {
    Path sample = Path.of("..", "configs", "prompts", "sample.csv");
    List<PromptRecord> rows = reader.read("sample.csv", Files.readAllBytes(sample));
    assertEquals(16, rows.size());
    assertTrue(rows.stream().allMatch(PromptRecord::accepted));
    assertEquals(16, rows.stream().map(PromptRecord::promptId).distinct().count());
    assertTrue(rows.stream().allMatch(p -> List.of("low", "medium", "high").contains(p.motionLevel())));
  }

  private static List<PromptRecord> reversed(List<PromptRecord> rows) {
    List<PromptRecord> r = new java.util.ArrayList<>(rows);
    java.util.Collections.reverse(r);
    return r;
  }

  @Test
  void selectionFiltersSamplesAndLimitsDeterministically() throws Exception {
    List<PromptRecord> rows = reader.read("sample.csv", Files.readAllBytes(Path.of("..", "configs", "prompts", "sample.csv")));
    List<PromptRecord> low = new PromptSelection(null, "low", 0, "concept", 0).apply(rows);
    assertEquals(rows.stream().filter(p -> "low".equals(p.motionLevel())).count(), low.size());
    List<PromptRecord> animals = new PromptSelection("Animal", null, 0, "concept", 0).apply(rows);
    assertTrue(!animals.isEmpty() && animals.stream().allMatch(p -> p.concepts().contains("animal")));

    List<PromptRecord> s1 = new PromptSelection(null, null, 6, "motion_level", 0).apply(rows);
    List<PromptRecord> s2 = new PromptSelection(null, null, 6, "motion_level", 0).apply(reversed(rows));
    assertEquals(6, s1.size());
    assertEquals(s1.stream().map(PromptRecord::promptId).sorted().toList(),
        s2.stream().map(PromptRecord::promptId).sorted().toList());
    // proportional: each motion level gets floor/ceil of its share
    Map<String, Long> all = rows.stream().collect(Collectors.groupingBy(PromptRecord::motionLevel, Collectors.counting()));
    Map<String, Long> got = s1.stream().collect(Collectors.groupingBy(PromptRecord::motionLevel, Collectors.counting()));
    for (var e : all.entrySet()) {
      double share = 6.0 * e.getValue() / rows.size();
      long g = got.getOrDefault(e.getKey(), 0L);
      assertTrue(g == Math.floor(share) || g == Math.ceil(share), e + " got " + g);
    }
    assertEquals(rows.subList(0, 3), new PromptSelection(null, null, 0, "concept", 3).apply(rows));
  }

  @Test
  void utf16And32FilesAreRefusedWithTheEncodingTheyLookLike() {
    String csv = "prompt\nA cat\n";
    assertEquals("p.csv: not UTF-8 (looks like UTF-16LE): re-encode as UTF-8",
        readError(csv.getBytes(StandardCharsets.UTF_16LE)));
    assertEquals("p.csv: not UTF-8 (looks like UTF-16BE): re-encode as UTF-8",
        readError(csv.getBytes(StandardCharsets.UTF_16BE)));
    // Java's "UTF-16" writes a big-endian BOM; Excel's "Unicode text" a little-endian one
    assertEquals("p.csv: not UTF-8 (looks like UTF-16BE): re-encode as UTF-8", readError(csv.getBytes(StandardCharsets.UTF_16)));
    assertEquals("p.csv: not UTF-8 (looks like UTF-16LE): re-encode as UTF-8",
        readError(concat(new byte[] {(byte) 0xff, (byte) 0xfe}, csv.getBytes(StandardCharsets.UTF_16LE))));
    java.nio.charset.Charset utf32le = java.nio.charset.Charset.forName("UTF-32LE");
    assertEquals("p.csv: not UTF-8 (looks like UTF-32LE): re-encode as UTF-8", readError(csv.getBytes(utf32le)));
    assertEquals("p.csv: not UTF-8 (looks like UTF-32LE): re-encode as UTF-8",
        readError(concat(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0}, csv.getBytes(utf32le))));
    assertEquals("p.csv: not UTF-8 (looks like UTF-32BE): re-encode as UTF-8",
        readError(csv.getBytes(java.nio.charset.Charset.forName("UTF-32BE"))));
    // a NUL inside otherwise UTF-8 text: not UTF-16/32, but no prompt CSV holds one
    assertEquals("p.csv: not UTF-8 (NUL byte at offset 8): re-encode as UTF-8",
        readError("prompt\nA\0\0cat\n".getBytes(StandardCharsets.UTF_8)));
    // a UTF-8 BOM is fine
    assertEquals("A cat", reader.read("p.csv", concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
        csv.getBytes(StandardCharsets.UTF_8))).get(0).prompt());
  }

  private String readError(byte[] content) {
    return assertThrows(IllegalArgumentException.class, () -> reader.read("p.csv", content)).getMessage();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
