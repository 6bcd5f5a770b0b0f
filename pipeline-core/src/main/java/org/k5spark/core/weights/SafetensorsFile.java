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
    switch (CheckpointFormat.sniff(path)) {
      case TORCH_ZIP -> throw new WeightFileException(path + ": a torch.save zip checkpoint, not safetensors; open it"
          + " with TensorSource.open, which reads it without executing anything");
      case PICKLE -> throw CheckpointFormat.refusePickle(path);
      default -> { }
    }
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
  @Override
  public float[] floats(String key) {
    TensorInfo t = info(key);
    return TensorBytes.floats(path + ": tensor '" + key + "'", raw(key), t.dtype());
  }

  @Override
  public NDArray load(String key, NDManager manager, DataType target) {
    TensorInfo t = info(key);
    return TensorBytes.toNDArray(key, raw(key), t.dtype(), t.shape(), manager, target);
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
