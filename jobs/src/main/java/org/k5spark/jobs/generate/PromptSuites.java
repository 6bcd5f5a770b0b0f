package org.k5spark.jobs.generate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prompt files besides CSVs, read as they ship (the format is chosen by the file name):
 *
 * <ul>
 *   <li>{@code *.txt}: VBench's {@code prompts/all_dimension.txt}, {@code prompts_per_dimension/*.txt} and the
 *       augmented lists: one prompt a line, UTF-8; blank lines are skipped, no concept labels.
 *   <li>{@code *.json}: VBench's {@code VBench_full_info.json}, an array of {@code {"prompt_en": ..., "dimension":
 *       [...], "auxiliary_info": {...}}}, the dimension tags becoming concept labels; or VBench-2.0's
 *       {@code VBench2_full_text_info.json}, an object of {@code "<prompt>": {"caption": ..., "dimension": [...]}}.
 *       {@code source_line} is the line where the entry starts.
 *   <li>anything else: a CSV ({@link PromptReader}: MovieGen Bench or any file with a prompt column).
 * </ul>
 *
 * A bad entry (no prompt text, an over-long prompt) is a rejected row, like a bad CSV row; a file that is not
 * the format its name says is a whole-file error.
 */
public final class PromptSuites {
  public static final String CSV = "csv";
  public static final String TEXT = "vbench-text";
  public static final String JSON = "vbench-json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PromptSuites() {}

  /** The format {@link #read} uses for a file name: {@link #TEXT}, {@link #JSON} or {@link #CSV}. */
  public static String format(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".txt") ? TEXT : n.endsWith(".json") ? JSON : CSV;
  }

  public static List<PromptRecord> read(PromptReader.Options options, String name, byte[] content) {
    return switch (format(name)) {
      case TEXT -> readText(options, name, content);
      case JSON -> readJson(options, name, content);
      default -> new PromptReader(options).read(name, content);
    };
  }

  static List<PromptRecord> readText(PromptReader.Options o, String name, byte[] content) {
    requireNoExpansionColumn(o, name);
    PromptReader.requireUtf8(name, content);
    String text = PromptReader.decode(content);
    List<PromptRecord> out = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        out.add(record(o, lines[i], List.of(), name, i + 1));
      }
    }
    return out;
  }

  static List<PromptRecord> readJson(PromptReader.Options o, String name, byte[] content) {
    requireNoExpansionColumn(o, name);
    PromptReader.requireUtf8(name, content);
    List<PromptRecord> out = new ArrayList<>();
    try (JsonParser p = MAPPER.createParser(content)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY) { // VBench: [{"prompt_en": ..., "dimension": [...]}, ...]
        while (p.nextToken() == JsonToken.START_OBJECT) {
          int line = p.currentLocation().getLineNr();
          JsonNode e = MAPPER.readTree(p);
          out.add(entry(o, e.get("prompt_en"), e.get("dimension"), name, line, "prompt_en"));
        }
      } else if (first == JsonToken.START_OBJECT) { // VBench-2.0: {"<prompt>": {"caption": ..., "dimension": [...]}}
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          int line = p.currentLocation().getLineNr();
          String key = p.currentName();
          p.nextToken();
          JsonNode e = MAPPER.readTree(p);
          JsonNode caption = e.has("caption") ? e.get("caption") : MAPPER.getNodeFactory().textNode(key);
          out.add(entry(o, caption, e.get("dimension"), name, line, "caption"));
        }
      } else {
        throw new IllegalArgumentException(name + ": not a VBench prompt file (expected a JSON array of"
            + " {prompt_en, dimension} or an object of {caption, dimension}, got " + first + ")");
      }
    } catch (IOException e) {
      String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
          ? j.getOriginalMessage() + " at line " + j.getLocation().getLineNr() : e.getMessage();
      throw new IllegalArgumentException(name + ": unreadable JSON: " + msg, e);
    }
    return out;
  }

  private static PromptRecord entry(PromptReader.Options o, JsonNode prompt, JsonNode dims, String name, int line,
      String field) {
    if (prompt == null || !prompt.isTextual()) {
      return PromptRecord.rejected(prompt == null ? "" : prompt.toString(), name, line,
          "entry has no text field '" + field + "'");
    }
    List<String> concepts = new ArrayList<>();
    if (dims != null && dims.isArray()) {
      dims.forEach(d -> {
        if (d.isTextual() && !d.asText().isBlank()) {
          concepts.add(d.asText().strip());
        }
      });
    }
    return record(o, prompt.asText(), concepts, name, line);
  }

  private static PromptRecord record(PromptReader.Options o, String raw, List<String> concepts, String name,
      int line) {
    String prompt = PromptIds.normalise(raw);
    if (prompt.isEmpty()) {
      return PromptRecord.rejected("", name, line, "empty prompt");
    }
    int chars = prompt.codePointCount(0, prompt.length());
    if (chars > o.maxChars()) {
      return PromptRecord.rejected(prompt.substring(0, Math.min(prompt.length(), 200)), name, line,
          "prompt has " + chars + " characters, over the limit of " + o.maxChars());
    }
    String id = PromptIds.promptId(prompt);
    return new PromptRecord(id, prompt, concepts, null, PromptIds.seed(o.baseSeed(), id), name, line, null);
  }

  /** VBench ships expanded prompts as separate files (e.g. all_dimension_longer.txt): pass that file instead. */
  private static void requireNoExpansionColumn(PromptReader.Options o, String name) {
    if (o.useExpanded()) {
      throw new IllegalArgumentException(name + ": --use-expanded needs a CSV with an expanded column; VBench ships"
          + " its expanded prompts as their own files (e.g. prompts/augmented_prompts/.../all_dimension_longer.txt)");
    }
  }
}
