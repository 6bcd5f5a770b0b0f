package org.k5spark.jobs.generate;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads prompt CSVs (MovieGen Bench schema or any CSV with a prompt column) into {@link PromptRecord}s.
 * A broken row never stops the file: it becomes a rejected record naming the reason and its line, and
 * parsing resumes on the next physical line (an unbalanced quote would otherwise swallow the rest).
 */
public final class PromptReader {
  /** Marks bytes that were not valid UTF-8; U+FFFF is a noncharacter, so no valid prompt holds it. */
  private static final char BAD_BYTE = '\uFFFF';
  private static final int EXCERPT = 200;

  /**
   * @param promptColumn column holding the prompt
   * @param useExpanded read {@code expandedColumn} instead when the row has it (falls back to the prompt)
   * @param maxChars rows whose prompt has more characters (code points) are rejected
   */
  public record Options(String promptColumn, String expandedColumn, boolean useExpanded, String conceptColumn,
      String motionColumn, int maxChars, long baseSeed) implements java.io.Serializable {
    public static Options defaults() {
      return new Options("prompt", "expanded_prompt", false, "concept", "motion_level", 8000, 42L);
    }

    public Options withBaseSeed(long seed) {
      return new Options(promptColumn, expandedColumn, useExpanded, conceptColumn, motionColumn, maxChars, seed);
    }
  }

  private final Options options;

  public PromptReader(Options options) {
    this.options = options;
  }

  /** Parses one CSV file's bytes; {@code sourceName} is what manifests and errors call the file. */
  public List<PromptRecord> read(String sourceName, byte[] content) {
    requireUtf8(sourceName, content);
    String text = decode(content);
    int[] lineStarts = lineStarts(text);
    CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).build();

    int headerLine = firstNonBlankLine(text, lineStarts, 0);
    if (headerLine < 0) {
      throw new IllegalArgumentException(sourceName + ": empty CSV (no header row)");
    }
    String[] header;
    int dataLine;
    try (CSVParser p = CSVParser.parse(new StringReader(text.substring(lineStarts[headerLine])), format)) {
      Iterator<CSVRecord> it = p.iterator();
      header = it.next().stream().map(h -> h.strip().replace("\uFEFF", "")).toArray(String[]::new);
      dataLine = headerLine + (int) p.getCurrentLineNumber();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(sourceName + ": unreadable CSV header: " + e.getMessage(), e);
    }
    Columns cols = new Columns(sourceName, header, options);

    List<PromptRecord> out = new ArrayList<>();
    int line = dataLine; // 0-based physical line where the next record starts
    while ((line = firstNonBlankLine(text, lineStarts, line)) >= 0) {
      int segmentStart = line;
      try (CSVParser p = CSVParser.parse(new StringReader(text.substring(lineStarts[segmentStart])), format)) {
        Iterator<CSVRecord> it = p.iterator();
        while (true) {
          int recordLine = firstNonBlankLine(text, lineStarts, segmentStart + (int) p.getCurrentLineNumber());
          if (recordLine < 0) {
            line = -1;
            break;
          }
          CSVRecord r;
          try {
            if (!it.hasNext()) {
              line = -1;
              break;
            }
            r = it.next();
          } catch (RuntimeException e) {
            // Unbalanced quote or junk after a closing quote: reject the row it starts on, restart after it.
            out.add(PromptRecord.rejected(excerpt(physicalLine(text, lineStarts, recordLine)), sourceName,
                recordLine + 1, "unparseable CSV row: " + rootMessage(e)));
            line = recordLine + 1;
            break;
          }
          out.add(toRecord(cols, r, sourceName, recordLine + 1));
        }
      } catch (IOException e) {
        throw new IllegalStateException(sourceName + ": " + e.getMessage(), e);
      }
      if (line < 0 || line >= lineStarts.length) {
        break;
      }
    }
    return out;
  }

  private PromptRecord toRecord(Columns cols, CSVRecord r, String source, int line) {
    if (r.size() != cols.count) {
      return PromptRecord.rejected(excerpt(String.join(",", r.values())), source, line,
          "row has " + r.size() + " fields, header has " + cols.count + " (unquoted comma or missing field?)");
    }
    for (int i = 0; i < r.size(); i++) {
      if (r.get(i).indexOf(BAD_BYTE) >= 0) {
        return PromptRecord.rejected(excerpt(r.get(i).replace(BAD_BYTE, '\uFFFD')), source, line,
            "invalid UTF-8 in column '" + cols.header[i] + "'");
      }
    }
    String raw = r.get(cols.prompt);
    if (options.useExpanded() && cols.expanded >= 0 && !r.get(cols.expanded).isBlank()) {
      raw = r.get(cols.expanded);
    }
    String prompt = PromptIds.normalise(raw);
    if (prompt.isEmpty()) {
      return PromptRecord.rejected("", source, line, "empty prompt");
    }
    int chars = prompt.codePointCount(0, prompt.length());
    if (chars > options.maxChars()) {
      return PromptRecord.rejected(excerpt(prompt), source, line,
          "prompt has " + chars + " characters, over the limit of " + options.maxChars());
    }
    List<String> concepts = cols.concept < 0 ? List.of()
        : Arrays.stream(r.get(cols.concept).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    String motion = cols.motion < 0 ? null : r.get(cols.motion).strip().toLowerCase(Locale.ROOT);
    String id = PromptIds.promptId(prompt);
    return new PromptRecord(id, prompt, concepts, motion == null || motion.isEmpty() ? null : motion,
        PromptIds.seed(options.baseSeed(), id), source, line, null);
  }

  /** Column indices resolved once per file; a missing prompt column is a whole-file error. */
  private static final class Columns {
    final String[] header;
    final int count;
    final int prompt;
    final int expanded;
    final int concept;
    final int motion;

    Columns(String source, String[] header, Options o) {
      this.header = header;
      this.count = header.length;
      List<String> names = Arrays.asList(header);
      this.prompt = names.indexOf(o.promptColumn());
      if (prompt < 0) {
        throw new IllegalArgumentException(source + ": no prompt column '" + o.promptColumn() + "' in header " + names);
      }
      if (o.useExpanded() && !names.contains(o.expandedColumn())) {
        throw new IllegalArgumentException(source + ": --use-expanded but no column '" + o.expandedColumn()
            + "' in header " + names);
      }
      this.expanded = names.indexOf(o.expandedColumn());
      this.concept = names.indexOf(o.conceptColumn());
      this.motion = names.indexOf(o.motionColumn());
    }
  }

  /**
   * Refuses UTF-16/32 files (Excel's "Unicode text" export): decoded as UTF-8 they become NUL-riddled garbage and
   * the header check would report "no prompt column" with the NUL bytes in it. Known by a byte-order mark, or
   * without one by NUL bytes (no UTF-8 prompt CSV holds any), whose position tells the likely encoding.
   */
  static void requireUtf8(String sourceName, byte[] b) {
    String encoding = null;
    if (startsWith(b, 0xff, 0xfe, 0x00, 0x00)) {
      encoding = "UTF-32LE";
    } else if (startsWith(b, 0x00, 0x00, 0xfe, 0xff)) {
      encoding = "UTF-32BE";
    } else if (startsWith(b, 0xff, 0xfe)) {
      encoding = "UTF-16LE";
    } else if (startsWith(b, 0xfe, 0xff)) {
      encoding = "UTF-16BE";
    } else {
      int nul = -1;
      for (int i = 0; i < b.length && nul < 0; i++) {
        if (b[i] == 0) {
          nul = i;
        }
      }
      if (nul < 0) {
        return;
      }
      // ASCII text in each encoding: UTF-32LE "a\0\0\0", UTF-32BE "\0\0\0a", UTF-16LE "a\0", UTF-16BE "\0a"
      if (b.length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
        encoding = "UTF-32LE";
      } else if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0) {
        encoding = "UTF-32BE";
      } else if (b.length >= 2 && b[0] != 0 && b[1] == 0) {
        encoding = "UTF-16LE";
      } else if (b.length >= 2 && b[0] == 0 && b[1] != 0) {
        encoding = "UTF-16BE";
      } else {
        throw new IllegalArgumentException(sourceName + ": not UTF-8 (NUL byte at offset " + nul
            + "): re-encode as UTF-8");
      }
    }
    throw new IllegalArgumentException(sourceName + ": not UTF-8 (looks like " + encoding + "): re-encode as UTF-8");
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static String decode(byte[] content) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith(String.valueOf(BAD_BYTE));
    try {
      CharBuffer cb = dec.decode(ByteBuffer.wrap(content));
      String s = cb.toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE decoder threw", e);
    }
  }

  /** Offsets where each physical line starts (after \n; \r\n counts as one break). */
  static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        if (i + 1 < text.length()) {
          starts.add(i + 1);
        }
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String physicalLine(String text, int[] starts, int line) {
    int end = line + 1 < starts.length ? starts[line + 1] : text.length();
    return text.substring(starts[line], end).replace(BAD_BYTE, '\uFFFD').strip();
  }

  private static int firstNonBlankLine(String text, int[] starts, int from) {
    for (int l = from; l < starts.length; l++) {
      if (!physicalLine(text, starts, l).isEmpty()) {
        return l;
      }
    }
    return -1;
  }

  private static String excerpt(String s) {
    return s.length() <= EXCERPT ? s : s.substring(0, EXCERPT) + "…";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
