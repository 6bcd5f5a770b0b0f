package org.k5spark.eval.sbs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.k5spark.eval.compare.Vote;
import org.k5spark.eval.stats.Outcome;

/**
 * Reads votes exported by the SBS page (JSON {@code k5-sbs-votes/1} or the CSV variant, chosen by
 * content) and unblinds them with the page's {@link SbsKey}: "left" becomes a win for the run that was
 * shown on the left of that item. Every problem names the file and the offending record.
 */
public final class SbsVotes {
  private SbsVotes() {
  }

  public static List<Vote> read(Path file, SbsKey key) throws IOException {
    return read(Files.readString(file, StandardCharsets.UTF_8), file.toString(), key);
  }

  /** Votes from an export's text; {@code source} names it in errors. */
  public static List<Vote> read(String text, String source, SbsKey key) throws IOException {
    return text.stripLeading().startsWith("{") ? fromJson(text, source, key)
        : fromCsv(new java.io.StringReader(text), source, key);
  }

  static List<Vote> fromJson(String text, String source, SbsKey key) throws IOException {
    JsonNode root;
    try {
      root = SbsKey.JSON.readTree(text);
    } catch (IOException e) {
      throw new IOException(source + ": invalid JSON: " + e.getMessage(), e);
    }
    if (!"k5-sbs-votes/1".equals(root.path("format").asText())) {
      throw new IOException(source + ": not an SBS votes export (format must be k5-sbs-votes/1)");
    }
    checkPage(root.path("page_id").asText(), source, key);
    String voter = root.path("voter").asText("");
    Map<String, SbsKey.Item> items = key.byItem();
    List<Vote> out = new ArrayList<>();
    int i = 0;
    for (JsonNode v : root.path("votes")) {
      out.add(vote(v.path("item").asText(null), v.path("prompt_id").asText(null), v.path("question").asText(null),
          v.path("choice").asText(null), voter, source + " votes[" + i++ + "]", items));
    }
    return out;
  }

  static List<Vote> fromCsv(Reader in, String source, SbsKey key) throws IOException {
    List<Vote> out = new ArrayList<>();
    CSVFormat fmt = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
    try (CSVParser p = CSVParser.parse(in, fmt)) {
      for (String col : List.of("page_id", "item", "question", "choice")) {
        if (!p.getHeaderNames().contains(col)) {
          throw new IOException(source + ": missing column " + col + " (header " + p.getHeaderNames() + ")");
        }
      }
      Map<String, SbsKey.Item> items = key.byItem();
      for (CSVRecord r : p) {
        String where = source + " line " + p.getCurrentLineNumber();
        checkPage(r.get("page_id"), where, key);
        out.add(vote(r.get("item"), r.isMapped("prompt_id") ? r.get("prompt_id") : null, r.get("question"),
            r.get("choice"), r.isMapped("voter") ? r.get("voter") : "", where, items));
      }
    }
    return out;
  }

  private static void checkPage(String pageId, String where, SbsKey key) throws IOException {
    if (!key.pageId().equals(pageId)) {
      throw new IOException(where + ": votes are for page '" + pageId + "' but the key is for page '"
          + key.pageId() + "'");
    }
  }

  private static Vote vote(String item, String promptId, String question, String choice, String voter, String where,
      Map<String, SbsKey.Item> items) throws IOException {
    SbsKey.Item it = items.get(item);
    if (it == null) {
      throw new IOException(where + ": unknown item '" + item + "'");
    }
    if (promptId != null && !promptId.isEmpty() && !promptId.equals(it.promptId())) {
      throw new IOException(where + ": item " + item + " is prompt " + it.promptId() + " in the key, not " + promptId);
    }
    if (!Vote.QUESTIONS.contains(question)) {
      throw new IOException(where + ": unknown question '" + question + "' (expected one of " + Vote.QUESTIONS + ")");
    }
    Outcome o = switch (choice == null ? "" : choice.toLowerCase(Locale.ROOT)) {
      case "left" -> Outcome.WIN;
      case "right" -> Outcome.LOSS;
      case "tie" -> Outcome.TIE;
      default -> throw new IOException(where + ": choice must be left, right or tie, got '" + choice + "'");
    };
    return new Vote(it.promptId(), question, it.left(), it.right(), o, voter);
  }
}
