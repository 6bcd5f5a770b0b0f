package org.k5spark.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test support: poisons a real safetensors checkpoint in place (a NaN, an Inf, a huge value) without rewriting it. */
public final class SafetensorsPatch {
  private SafetensorsPatch() {}

  /** Overwrites element {@code index} of a BF16 tensor of a safetensors file in place. */
  public static void set(Path file, String key, int index, short bf16) throws IOException {
    long offset = dataStart(file) + header(file).get(key).get("data_offsets").get(0).asLong() + 2L * index;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(bf16).array());
    }
  }

  public static int elements(Path file, String key) throws IOException {
    JsonNode t = header(file).get(key);
    if (!"BF16".equals(t.get("dtype").asText())) {
      throw new IllegalArgumentException(key + " is " + t.get("dtype") + ", not BF16");
    }
    return (t.get("data_offsets").get(1).asInt() - t.get("data_offsets").get(0).asInt()) / 2;
  }

  private static long dataStart(Path file) throws IOException {
    return 8 + headerLength(file);
  }

  private static long headerLength(Path file) throws IOException {
    byte[] head = new byte[8];
    try (var in = Files.newInputStream(file)) {
      in.readNBytes(head, 0, 8);
    }
    return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static JsonNode header(Path file) throws IOException {
    int len = (int) headerLength(file);
    byte[] json = new byte[len];
    try (var in = Files.newInputStream(file)) {
      in.skipNBytes(8);
      in.readNBytes(json, 0, len);
    }
    return new ObjectMapper().readTree(json);
  }
}
