package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token ids from DJL (Rust tokenizers) equal Hugging Face tokenizers.js ids for the same tokenizer.json
 * (text/token_ids.json, made by tools/text/make_token_ids.sh), and Kandinsky's truncation rules.
 */
class TokenizerReferenceTest {
  @TempDir static Path tmp;
  static TextTokenizer qwen;
  static TextTokenizer clip;
  static Map<String, String> text = new HashMap<>();
  static Map<String, long[]> qwenRef = new HashMap<>();
  static Map<String, long[]> clipRef = new HashMap<>();

  @BeforeAll
  static void load() throws Exception {
    BundledTokenizers.writeQwen(tmp.resolve("qwen"));
    BundledTokenizers.writeClip(tmp.resolve("clip"));
    qwen = TextTokenizer.load(tmp.resolve("qwen"));
    clip = TextTokenizer.load(tmp.resolve("clip"));
    ObjectMapper om = new ObjectMapper();
    try (InputStream s = TokenizerReferenceTest.class.getResourceAsStream("/text/strings.json");
        InputStream r = TokenizerReferenceTest.class.getResourceAsStream("/text/token_ids.json")) {
      for (JsonNode n : om.readTree(s)) {
        text.put(n.get("name").asText(), n.get("text").asText());
      }
      for (JsonNode n : om.readTree(r).get("ids")) {
        qwenRef.put(n.get("name").asText(), longs(n.get("qwen")));
        clipRef.put(n.get("name").asText(), longs(n.get("clip")));
      }
    }
    assertEquals(11, text.size());
  }

  @AfterAll
  static void close() {
    qwen.close();
    clip.close();
  }

  static long[] longs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }

  @Test
  void qwenIdsEqualReference() {
    for (String name : text.keySet()) {
      assertArrayEquals(qwenRef.get(name), qwen.ids(text.get(name), true), name);
    }
    assertEquals(735, qwenRef.get("long_600_words").length);
  }

  @Test
  void clipFormatIdsEqualReference() {
    for (String name : text.keySet()) {
      assertArrayEquals(clipRef.get(name), clip.ids(text.get(name), true), name);
    }
  }

  @Test
  void templatePrefixesTokenizeToTheReferenceCropStarts() {
    var video = QwenPromptTokenizer.Content.VIDEO;
    var image = QwenPromptTokenizer.Content.IMAGE;
    assertEquals(text.get("video_template_prefix"), video.prefix());
    assertEquals(text.get("image_template_prefix"), image.prefix());
    assertEquals(video.cropStart(), qwen.ids(video.prefix(), true).length);
    assertEquals(image.cropStart(), qwen.ids(image.prefix(), true).length);
    assertEquals(text.get("video_template_a_cat"), video.format("a cat"));
  }

  @Test
  void qwenSpecialsAndPad() {
    assertEquals(151643, qwen.specialId("<|endoftext|>"));
    assertEquals(151644, qwen.specialId("<|im_start|>"));
    assertEquals(151645, qwen.specialId("<|im_end|>"));
    assertEquals(151652, qwen.specialId("<|vision_start|>"));
    assertEquals(151664, qwen.maxAddedId());
    assertEquals(151643, new QwenPromptTokenizer(qwen).tokenize(List.of("x"), QwenPromptTokenizer.Content.VIDEO, 256)
        .padId());
  }

  @Test
  void qwenTruncatesToMaxLengthPlusCropStartAndFlags() {
    QwenPromptTokenizer t = new QwenPromptTokenizer(qwen);
    TokenBatch b = t.tokenize(List.of(text.get("long_600_words"), "a cat"), QwenPromptTokenizer.Content.VIDEO, 256);
    long[] prefix = qwenRef.get("video_template_prefix");
    long[] body = qwenRef.get("long_600_words");
    long[] expected = LongStream.concat(LongStream.of(prefix), LongStream.of(body)).limit(256 + 129).toArray();
    assertArrayEquals(expected, b.rows()[0]);
    assertTrue(b.truncated()[0]);
    assertEquals(129 + 735 + 1, b.untruncatedLengths()[0]);
    assertArrayEquals(qwenRef.get("video_template_a_cat"), b.rows()[1]);
    assertFalse(b.truncated()[1]);
    assertTrue(b.anyTruncated());
    long[] mask = b.mask(385);
    assertEquals(132, LongStream.of(mask).skip(385).sum());
  }

  @Test
  void clipTruncationKeepsEndTokenAndPadsWithIt() {
    ClipPromptTokenizer t = new ClipPromptTokenizer(clip);
    TokenBatch b = t.tokenize(List.of(text.get("ascii_sentence"), "a cat"), 77);
    long[] ref = clipRef.get("ascii_sentence"); // 54 ids with BOS/EOS: fits
    assertArrayEquals(ref, b.rows()[0]);
    assertFalse(b.truncated()[0]);
    assertArrayEquals(clipRef.get("ascii_short"), b.rows()[1]);
    TokenBatch longB = t.tokenize(List.of(text.get("emoji") + " " + text.get("ascii_sentence")), 77);
    assertTrue(longB.truncated()[0]);
    long[] row = longB.rows()[0];
    assertEquals(77, row.length);
    assertEquals(t.bos(), row[0]);
    assertEquals(t.eos(), row[76]);
    long[] body = clip.ids(text.get("emoji") + " " + text.get("ascii_sentence"), false);
    for (int i = 1; i < 76; i++) {
      assertEquals(body[i - 1], row[i]);
    }
    assertEquals(t.eos(), b.padId());
    assertEquals(542L, t.eos());
  }
}
