package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped safetensors file with a fully validated header. Tensors are read lazily; nothing in
 * the file is ever executed.
 */
public final class SafetensorsFile implements TensorSource {
  private static final long MAX_HEADER = 100L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  public static SafetensorsFile open(Path path) {
    PickleGuard.refuseIfPickle(path);
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new WeightFileException("cannot open weight file " + path + ": " + e.getMessage(), e);
    }
    try {
      long size = ch.size();
      if (size < 8) {
        throw new WeightFileException(path + ": not a safetensors file (" + size + " bytes, header length missing)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long n = lenBuf.getLong(0);
      if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
        throw new WeightFileException(path + ": corrupt safetensors header length " + n + " (file has " + size + " bytes)");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) n);
      readFully(ch, hb, 8);
      JsonNode root;
      try {
        root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new WeightFileException(path + ": safetensors header is not valid JSON: " + e.getMessage(), e);
      }
      if (root == null || !root.isObject()) {
        throw new WeightFileException(path + ": safetensors header is not a JSON object");
      }
      long dataLen = size - 8 - n;
      Map<String, TensorInfo> tensors = new LinkedHashMap<>();
      Map<String, String> meta = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey().equals("__metadata__")) {
          e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataLen));
      }
      checkOverlaps(path, tensors);
      return new SafetensorsFile(path, ch, 8 + n, Collections.unmodifiableMap(tensors), meta);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new WeightFileException("cannot read " + path + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static TensorInfo parseEntry(Path path, String key, JsonNode v, long dataLen) {
    String where = path + ": tensor '" + key + "'";
    JsonNode dt = v.get("dtype");
    JsonNode sh = v.get("shape");
    JsonNode off = v.get("data_offsets");
    if (dt == null || sh == null || off == null || !sh.isArray() || !off.isArray() || off.size() != 2) {
      throw new WeightFileException(where + ": header entry needs dtype, shape and data_offsets [begin, end]");
    }
    Dtype dtype = Dtype.parse(dt.asText());
    if (dtype == null) {
      throw new WeightFileException(where + ": unknown dtype " + dt.asText());
    }
    long[] shape = new long[sh.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = sh.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new WeightFileException(where + ": negative dimension in shape " + sh);
      }
      numel = Math.multiplyExact(numel, shape[i]);
    }
    long begin = off.get(0).asLong(-1);
    long end = off.get(1).asLong(-1);
    if (begin < 0 || end < begin || end > dataLen) {
      throw new WeightFileException(where + ": data_offsets [" + begin + ", " + end + "] outside the data area of "
          + dataLen + " bytes (truncated file?)");
    }
    long expected = numel * dtype.size();
    if (end - begin != expected) {
      throw new WeightFileException(where + ": " + dtype + " " + sh + " needs " + expected + " bytes but data_offsets give "
          + (end - begin));
    }
    return new TensorInfo(key, dtype, shape, begin, end);
  }

  private static void checkOverlaps(Path path, Map<String, TensorInfo> tensors) {
    List<TensorInfo> sorted = new ArrayList<>(tensors.values());
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    for (int i = 1; i < sorted.size(); i++) {
      TensorInfo a = sorted.get(i - 1);
      TensorInfo b = sorted.get(i);
      if (b.begin() < a.end() && b.end() > b.begin()) {
        throw new WeightFileException(path + ": tensors '" + a.name() + "' and '" + b.name() + "' overlap in the data area");
      }
    }
  }

  public Path path() {
    return path;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public Set<String> keys() {
    return tensors.keySet();
  }

  @Override
  public TensorInfo info(String key) {
    TensorInfo t = tensors.get(key);
    if (t == null) {
      throw new WeightFileException(path + ": no tensor '" + key + "'");
    }
    return t;
  }

  @Override
  public Path fileOf(String key) {
    return path;
  }

  @Override
  public Path location() {
    return path;
  }

  /** The raw little-endian bytes of a tensor, memory-mapped (read-only). */
  public ByteBuffer raw(String key) {
    TensorInfo t = info(key);
    long len = t.end() - t.begin();
    if (len > Integer.MAX_VALUE) {
      throw new WeightFileException(path + ": tensor '" + key + "' is larger than 2 GiB; split it into shards");
    }
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), len).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new WeightFileException(path + ": cannot map tensor '" + key + "': " + e.getMessage(), e);
    }
  }

  /** A tensor as float32 values on the heap (any float dtype). */
  public float[] floats(String key) {
    TensorInfo t = info(key);
    ByteBuffer b = raw(key);
    int n = Math.toIntExact(t.numel());
    float[] out = new float[n];
    switch (t.dtype()) {
      case F32 -> b.asFloatBuffer().get(out);
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Bf16.toFloat(b.getShort(2 * i));
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Fp16.toFloat(b.getShort(2 * i));
        }
      }
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(8 * i);
        }
      }
      default -> throw new WeightFileException(path + ": tensor '" + key + "' is " + t.dtype() + ", not a float tensor");
    }
    return out;
  }

  @Override
  public NDArray load(String key, NDManager manager, DataType target) {
    TensorInfo t = info(key);
    if (target == DataType.BFLOAT16) {
      throw new WeightFileException("refusing to create a BFLOAT16 NDArray for '" + key + "': DJL aborts the JVM on it");
    }
    NDArray fast = NativeTensorCopy.load(raw(key), t.dtype(), t.djlShape().getShape(), target, manager);
    if (fast != null) {
      fast.setName(key);
      return fast;
    }
    NDArray arr;
    if (t.dtype() == Dtype.BF16) {
      // DJL cannot hold bfloat16 (a BF16 NDArray aborts the JVM): widen to float32 in Java first.
      ByteBuffer src = raw(key);
      int n = Math.toIntExact(t.numel());
      ByteBuffer dst = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
      for (int i = 0; i < n; i++) {
        dst.putFloat(4 * i, Bf16.toFloat(src.getShort(2 * i)));
      }
      arr = manager.create(dst, t.djlShape(), DataType.FLOAT32);
    } else {
      ByteBuffer src = raw(key);
      ByteBuffer dst = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
      dst.put(src.duplicate().order(ByteOrder.LITTLE_ENDIAN));
      dst.rewind();
      arr = manager.create(dst, t.djlShape(), t.dtype().djlType());
    }
    arr.setName(key);
    if (target != null && arr.getDataType() != target) {
      NDArray c = arr.toType(target, false);
      c.setName(key);
      arr.close();
      arr = c;
    }
    return arr;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + b.position());
      if (r < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to lose on a read-only channel
    }
  }
}
