package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.io.AtomicFiles;

/** Writes a safetensors file (sorted-by-insertion data, header padded to 8); write-to-temp then rename. */
public final class SafetensorsWriter {
  private record Entry(Dtype dtype, long[] shape, byte[] data) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public SafetensorsWriter put(String name, Dtype dtype, long[] shape, byte[] littleEndian) {
    long numel = 1;
    for (long d : shape) {
      numel *= d;
    }
    if (numel * dtype.size() != littleEndian.length) {
      throw new IllegalArgumentException(name + ": " + littleEndian.length + " bytes for " + dtype + " "
          + java.util.Arrays.toString(shape));
    }
    if (entries.put(name, new Entry(dtype, shape.clone(), littleEndian)) != null) {
      throw new IllegalArgumentException("duplicate tensor " + name);
    }
    return this;
  }

  public SafetensorsWriter putFloats(String name, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return put(name, Dtype.F32, shape, b.array());
  }

  /** Stores float values rounded to bfloat16 (as the released checkpoints are). */
  public SafetensorsWriter putBf16(String name, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(Bf16.fromFloat(v));
    }
    return put(name, Dtype.BF16, shape, b.array());
  }

  public SafetensorsWriter putLongs(String name, long[] shape, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return put(name, Dtype.I64, shape, b.array());
  }

  /** Copies an NDArray (any dtype DJL can hold) under its own dtype. */
  public SafetensorsWriter put(String name, NDArray arr) {
    ByteBuffer src = arr.toByteBuffer().order(ByteOrder.nativeOrder());
    byte[] out = new byte[src.remaining()];
    ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    int width = arr.getDataType().getNumOfBytes();
    switch (width) {
      case 1 -> src.get(out);
      case 2 -> { while (src.hasRemaining()) dst.putShort(src.getShort()); }
      case 4 -> { while (src.hasRemaining()) dst.putInt(src.getInt()); }
      case 8 -> { while (src.hasRemaining()) dst.putLong(src.getLong()); }
      default -> throw new IllegalArgumentException("unsupported width " + width);
    }
    return put(name, Dtype.of(arr.getDataType()), arr.getShape().getShape(), out);
  }

  public void write(Path out) throws IOException {
    ObjectMapper om = new ObjectMapper();
    ObjectNode header = om.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode m = header.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    long offset = 0;
    for (var e : entries.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype().name());
      var sh = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        sh.add(d);
      }
      var off = t.putArray("data_offsets");
      off.add(offset);
      offset += e.getValue().data().length;
      off.add(offset);
    }
    byte[] h = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    byte[] hp = new byte[padded];
    java.util.Arrays.fill(hp, (byte) ' ');
    System.arraycopy(h, 0, hp, 0, h.length);
    AtomicFiles.writeBytes(out, os -> {
      os.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      os.write(hp);
      for (Entry e : entries.values()) {
        os.write(e.data());
      }
    });
  }
}
