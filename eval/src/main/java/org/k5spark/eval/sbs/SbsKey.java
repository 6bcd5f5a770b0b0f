package org.k5spark.eval.sbs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.k5spark.core.io.AtomicFiles;

/**
 * The sidecar key of an SBS page ({@code sbs-key.json}, written next to {@code index.html}): which run
 * is left and which is right for every item. The page itself never contains run names; whoever
 * holds this file can unblind the votes. Keep it away from the voters.
 *
 * <pre>
 * {"format":"k5-sbs-key/1","page_id":"…","seed":7,"run_a":"A","run_b":"B",
 *  "items":[{"item":"i1","prompt_id":"p2","left":"B","right":"A"}, …],
 *  "unpaired":["p1","p6"]}
 * </pre>
 */
public record SbsKey(@JsonProperty("format") String format, @JsonProperty("page_id") String pageId,
    @JsonProperty("seed") long seed, @JsonProperty("run_a") String runA, @JsonProperty("run_b") String runB,
    @JsonProperty("items") List<Item> items, @JsonProperty("unpaired") List<String> unpaired) {

  public static final String FORMAT = "k5-sbs-key/1";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public record Item(@JsonProperty("item") String item, @JsonProperty("prompt_id") String promptId,
      @JsonProperty("left") String left, @JsonProperty("right") String right) {
  }

  public Map<String, Item> byItem() {
    return items.stream().collect(Collectors.toMap(Item::item, Function.identity()));
  }

  public void write(Path file) throws IOException {
    AtomicFiles.writeAtomically(file, toJson());
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SbsKey read(Path file) throws IOException {
    return read(java.nio.file.Files.readAllBytes(file), file.toString());
  }

  /** The key from its bytes; {@code source} names it in errors. */
  public static SbsKey read(byte[] json, String source) throws IOException {
    SbsKey k;
    try {
      k = JSON.readValue(json, SbsKey.class);
    } catch (IOException e) {
      throw new IOException(source + ": not an SBS key file: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (!FORMAT.equals(k.format()) || k.items() == null || k.pageId() == null) {
      throw new IOException(source + ": not an SBS key file (format must be " + FORMAT + " with page_id and items)");
    }
    return k;
  }
}
