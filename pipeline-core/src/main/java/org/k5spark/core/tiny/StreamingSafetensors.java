package org.k5spark.core.tiny;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.k5spark.core.weights.Bf16;

/**
 * A safetensors file written tensor by tensor from generated values, never holding a whole tensor (a released
 * DiT is 4 GB in bf16; {@code SafetensorsWriter} keeps everything in memory until it writes). The header is
 * computed from the shapes first; the file appears under its name only when complete (written then renamed).
 */
final class StreamingSafetensors {
  /** Fills {@code out[0 .. n)} with the values of {@code key} at flat positions {@code start ..}. */
  interface Values {
    void fill(String key, long[] shape, long start, float[] out, int n);
  }

  private static final int CHUNK = 1 << 20;

  private StreamingSafetensors() {}

  /** @param bf16 bfloat16 (as the released DiT and Qwen files) or float32 */
  static void write(Path out, Map<String, long[]> shapes, boolean bf16, Map<String, String> metadata, Values values)
      throws IOException {
    int width = bf16 ? 2 : 4;
    ObjectMapper om = new ObjectMapper();
    ObjectNode header = om.createObjectNode();
    ObjectNode meta = header.putObject("__metadata__");
    metadata.forEach(meta::put);
    long offset = 0;
    for (var e : shapes.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", bf16 ? "BF16" : "F32");
      var sh = t.putArray("shape");
      for (long d : e.getValue()) {
        sh.add(d);
      }
      long bytes = count(e.getValue()) * width;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] h = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(padded).put(h);
      while (head.position() < head.capacity()) {
        head.put((byte) ' ');
      }
      head.flip();
      writeFully(ch, head);
      float[] chunk = new float[CHUNK];
      ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * width).order(ByteOrder.LITTLE_ENDIAN);
      for (var e : shapes.entrySet()) {
        long n = count(e.getValue());
        for (long start = 0; start < n; start += CHUNK) {
          int len = (int) Math.min(CHUNK, n - start);
          values.fill(e.getKey(), e.getValue(), start, chunk, len);
          buf.clear();
          for (int i = 0; i < len; i++) {
            if (bf16) {
              buf.putShort(Bf16.fromFloat(chunk[i]));
            } else {
              buf.putFloat(chunk[i]);
            }
          }
          buf.flip();
          writeFully(ch, buf);
        }
      }
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
