package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * VBench's prompt files in their exact shipped format: excerpts of {@code prompts/all_dimension.txt} and
 * {@code vbench/VBench_full_info.json} (github.com/Vchitect/VBench at 45e79ec, test resources vbench/), and the
 * VBench-2.0 {@code VBench2_full_text_info.json} shape.
 */
class PromptSuitesTest {
  private static final PromptReader.Options O = PromptReader.Options.defaults();

  @Test
  void vbenchTextOnePromptALine() throws Exception {
    String name = "all_dimension_head.txt";
    List<PromptRecord> r = PromptSuites.read(O, name, Files.readAllBytes(JobFixtures.resource("vbench/" + name)));
    assertEquals(PromptSuites.TEXT, PromptSuites.format(name));
    assertEquals(List.of("In a still frame, a stop sign", "a toilet, frozen in time", "a laptop, frozen in time",
        "A tranquil tableau of alley", "The bund Shanghai, tilt down",
        "The bund Shanghai, with an intense shaking effect"), r.stream().map(PromptRecord::prompt).toList());
    assertEquals(List.of(1, 2, 3, 4, 6, 7), r.stream().map(PromptRecord::sourceLine).toList(), "blank line 5 skipped");
    PromptRecord first = r.get(0);
    assertEquals(PromptIds.promptId("In a still frame, a stop sign"), first.promptId());
    assertEquals(PromptIds.seed(42, first.promptId()), first.seed());
    assertEquals(List.of(), first.concepts());
    assertNull(first.motionLevel());
  }

  @Test
  void vbenchFullInfoJsonDimensionsAreConcepts() throws Exception {
    String name = "VBench_full_info_head.json";
    List<PromptRecord> r = PromptSuites.read(O, name, Files.readAllBytes(JobFixtures.resource("vbench/" + name)));
    assertEquals(3, r.size());
    assertEquals("In a still frame, a stop sign", r.get(0).prompt());
    assertEquals(List.of("temporal_flickering"), r.get(0).concepts());
    assertEquals(List.of("multiple_objects"), r.get(1).concepts(), "auxiliary_info is ignored");
    assertEquals(List.of("subject_consistency", "dynamic_degree", "motion_smoothness"), r.get(2).concepts());
    assertEquals(List.of(2, 8, 19), r.stream().map(PromptRecord::sourceLine).toList(), "line where each entry starts");
    assertEquals(r.get(0).promptId(), PromptSuites.read(O, "x.txt",
        "In a still frame, a stop sign\n".getBytes(StandardCharsets.UTF_8)).get(0).promptId(),
        "the same prompt has the same id (and seed) from either file");
  }

  @Test
  void badEntriesAreRejectedRowsBadFilesOneLine() {
    List<PromptRecord> r = PromptSuites.read(O, "f.json", """
        [
          {"prompt_en": "a cat", "dimension": ["scene"]},
          {"dimension": ["color"]},
          {"prompt_en": "   ", "dimension": []}
        ]""".getBytes(StandardCharsets.UTF_8));
    assertEquals(3, r.size());
    assertEquals("entry has no text field 'prompt_en'", r.get(1).rejection());
    assertEquals(3, r.get(1).sourceLine());
    assertEquals("empty prompt", r.get(2).rejection());
    var e = assertThrows(IllegalArgumentException.class,
        () -> PromptSuites.read(O, "f.json", "\"a string\"".getBytes(StandardCharsets.UTF_8)));
    assertEquals("f.json: not a VBench prompt file (expected a JSON array of {prompt_en, dimension} or an object of"
        + " {caption, dimension}, got VALUE_STRING)", e.getMessage());
    var expanded = assertThrows(IllegalArgumentException.class, () -> PromptSuites.read(
        new PromptReader.Options("prompt", "expanded_prompt", true, "concept", "motion_level", 8000, 42), "p.txt",
        "a cat\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("p.txt: --use-expanded needs a CSV with an expanded column; VBench ships its expanded prompts as"
        + " their own files (e.g. prompts/augmented_prompts/.../all_dimension_longer.txt)", expanded.getMessage());
  }

  @Test
  void vbench2ObjectShape() {
    List<PromptRecord> r = PromptSuites.read(O, "VBench2_full_text_info.json", """
        {
            "A river changes from blue to brown.": {
                "caption": "A river changes from blue to brown.",
                "dimension": [
                    "Diversity",
                    "Dynamic_Attribute"
                ]
            }
        }""".getBytes(StandardCharsets.UTF_8));
    assertEquals(1, r.size());
    assertEquals("A river changes from blue to brown.", r.get(0).prompt());
    assertEquals(List.of("Diversity", "Dynamic_Attribute"), r.get(0).concepts());
  }
}
