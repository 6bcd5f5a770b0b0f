package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.k5spark.core.weights.StateDictUnpickler.TensorRef;

/**
 * A torch.save checkpoint (the zip format of PyTorch 1.6 and later: {@code <name>/data.pkl},
 * {@code <name>/data/<key>}, {@code <name>/version}, optionally {@code <name>/byteorder}) read without executing
 * anything: {@link StateDictUnpickler} interprets the pickle, the zip is checked before any tensor is touched
 * (stored entries only, so nothing can inflate; every declared size within its entry; every view within its
 * storage). The state_dict is the root dict, or the dict under {@code state_dict}/{@code model}/{@code params}/...
 * where the root wraps one (AMT and pyiqa checkpoints do); nested dicts become dotted keys, non-tensor leaves
 * (epoch counters, names) are left out. safetensors stays the preferred format; this reader exists so VBench's
 * {@code pretrained/} files can be used as they ship. A TorchScript archive (torch.jit.save, as OpenAI CLIP's
 * {@code .pt} files are) is read the same way: its data.pkl pickles the module tree, whose tensor attributes are
 * the module's state_dict under the same dotted names; its TorchScript code is never read.
 */
public final class TorchCheckpoint implements TensorSource {
  /** The keys a training script wraps its state_dict in, in the order they are tried. */
  public static final List<String> WRAPPERS = List.of("state_dict", "model", "params_ema", "params", "module", "net");

  static final String ONLY = " (a plain state_dict needs only torch._utils._rebuild_tensor_v2, torch.*Storage and"
      + " collections.OrderedDict; nothing in the file was executed)";
  private static final long MAX_PICKLE = 64L << 20;

  private record Tensor(TensorInfo info, TensorRef ref, ZipEntry storage) {}

  private final Path path;
  private final ZipFile zip;
  private final Map<String, Tensor> tensors;

  private TorchCheckpoint(Path path, ZipFile zip, Map<String, Tensor> tensors) {
    this.path = path;
    this.zip = zip;
    this.tensors = tensors;
  }

  public static TorchCheckpoint open(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new WeightFileException("weight path does not exist: " + path);
    }
    CheckpointFormat format = CheckpointFormat.sniff(path);
    if (format == CheckpointFormat.PICKLE) {
      throw CheckpointFormat.refusePickle(path);
    }
    if (format != CheckpointFormat.TORCH_ZIP) {
      throw new WeightFileException(path + ": not a torch.save zip checkpoint (no zip signature)");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (IOException e) {
      throw new WeightFileException(path + ": not a readable zip archive (truncated or corrupt?): " + e.getMessage(), e);
    }
    try {
      return new TorchCheckpoint(path, zip, read(path, zip));
    } catch (RuntimeException e) {
      closeQuietly(zip);
      throw e;
    }
  }

  private static Map<String, Tensor> read(Path path, ZipFile zip) {
    long fileSize = path.toFile().length();
    Map<String, ZipEntry> entries = new LinkedHashMap<>();
    String prefix = null;
    for (var it = zip.entries(); it.hasMoreElements(); ) {
      ZipEntry e = it.nextElement();
      String name = e.getName();
      if (entries.put(name, e) != null) {
        throw new WeightFileException(path + ": zip entry '" + PickleText.printable(name) + "' appears twice");
      }
      int slash = name.indexOf('/');
      String p = slash < 0 ? "" : name.substring(0, slash + 1);
      if (prefix == null) {
        prefix = p;
      } else if (!prefix.equals(p) || p.isEmpty()) {
        throw new WeightFileException(path + ": zip entries under more than one top folder ('" + prefix + "', '"
            + PickleText.printable(p) + "'): not a torch.save archive");
      }
    }
    if (prefix == null || prefix.isEmpty()) {
      throw new WeightFileException(path + ": zip without the <name>/data.pkl of a torch.save archive");
    }
    // TorchScript (torch.jit.save): data.pkl pickles the module tree; its code/ is TorchScript source, never read
    String code = prefix + "code/";
    boolean script = entries.containsKey(prefix + "constants.pkl")
        || entries.keySet().stream().anyMatch(n -> n.startsWith(code));
    for (ZipEntry e : entries.values()) {
      if (e.getName().startsWith(code)) {
        continue;
      }
      // stored entries only: a declared size is then the bytes on disk, so nothing can inflate (no zip bombs)
      if (e.getMethod() != ZipEntry.STORED || e.getSize() != e.getCompressedSize()) {
        throw new WeightFileException(path + ": zip entry '" + PickleText.printable(e.getName())
            + "' is compressed (method " + e.getMethod() + "); torch.save stores every entry uncompressed");
      }
      if (e.getSize() < 0 || e.getSize() > fileSize) {
        throw new WeightFileException(path + ": zip entry '" + PickleText.printable(e.getName()) + "' declares "
            + e.getSize() + " bytes in a file of " + fileSize);
      }
    }
    ZipEntry pkl = entries.get(prefix + "data.pkl");
    if (pkl == null) {
      throw new WeightFileException(path + ": no " + prefix + "data.pkl in the zip: not a torch.save archive");
    }
    ZipEntry order = entries.get(prefix + "byteorder");
    if (order != null) {
      String bo = new String(bytes(path, zip, order, 16), StandardCharsets.US_ASCII).trim();
      if (!bo.equals("little")) {
        throw new WeightFileException(path + ": byteorder '" + PickleText.printable(bo)
            + "'; only little-endian checkpoints are read");
      }
    }
    if (pkl.getSize() > MAX_PICKLE) {
      throw new WeightFileException(path + ": " + pkl.getName() + " is " + pkl.getSize() + " bytes, more than the "
          + MAX_PICKLE + " a state_dict's pickle needs");
    }
    Object root;
    try {
      root = StateDictUnpickler.load(bytes(path, zip, pkl, MAX_PICKLE), pkl.getName(), script);
    } catch (StateDictUnpickler.Refused r) {
      throw new WeightFileException(path + ": " + r.getMessage() + ONLY);
    }
    Map<String, TensorRef> refs = stateDict(path, root);
    Map<String, Tensor> out = new LinkedHashMap<>();
    Map<String, Dtype> storageTypes = new HashMap<>();
    for (var e : refs.entrySet()) {
      out.put(e.getKey(), check(path, prefix, entries, storageTypes, e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Unwraps {"state_dict": {...}}-style roots and flattens nested dicts to dotted keys. */
  private static Map<String, TensorRef> stateDict(Path path, Object root) {
    if (!(root instanceof Map<?, ?> map)) {
      throw new WeightFileException(path + ": the pickle's root is not a dict, so it is not a state_dict");
    }
    while (map.values().stream().noneMatch(v -> v instanceof TensorRef)) {
      Map<?, ?> inner = null;
      for (String w : WRAPPERS) {
        if (map.get(w) instanceof Map<?, ?> m) {
          inner = m;
          break;
        }
      }
      if (inner == null) {
        break;
      }
      map = inner;
    }
    Map<String, TensorRef> out = new LinkedHashMap<>();
    flatten(path, "", map, out);
    if (out.isEmpty()) {
      throw new WeightFileException(path + ": no tensors in the checkpoint (top-level keys " + keyList(root) + ")");
    }
    return out;
  }

  private static void flatten(Path path, String prefix, Map<?, ?> map, Map<String, TensorRef> out) {
    for (var e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof TensorRef t) {
        if (out.put(key, t) != null) {
          throw new WeightFileException(path + ": tensor key '" + PickleText.printable(key)
              + "' appears twice once nested dicts are flattened");
        }
      } else if (e.getValue() instanceof Map<?, ?> m) {
        flatten(path, key + ".", m, out);
      }
    }
  }

  private static String keyList(Object root) {
    List<String> keys = new ArrayList<>();
    if (root instanceof Map<?, ?> m) {
      m.keySet().stream().limit(8).forEach(k -> keys.add(PickleText.printable(String.valueOf(k))));
    }
    return keys.toString();
  }

  private static Tensor check(Path path, String prefix, Map<String, ZipEntry> entries, Map<String, Dtype> storageTypes,
      String key, TensorRef t) {
    String where = path + ": tensor '" + PickleText.printable(key) + "'";
    StateDictUnpickler.StorageRef s = t.storage();
    ZipEntry data = entries.get(prefix + "data/" + s.key());
    if (data == null) {
      throw new WeightFileException(where + ": its storage " + prefix + "data/" + s.key() + " is not in the zip");
    }
    Dtype seen = storageTypes.putIfAbsent(s.key(), s.dtype());
    if (seen != null && seen != s.dtype()) {
      throw new WeightFileException(where + ": storage " + s.key() + " is declared both " + seen + " and " + s.dtype());
    }
    long es = s.dtype().size();
    try {
      long declared = Math.multiplyExact(s.numel(), es);
      if (declared != data.getSize()) {
        throw new WeightFileException(where + ": storage " + s.key() + " declares " + s.numel() + " " + s.dtype()
            + " elements (" + declared + " bytes) but " + data.getName() + " holds " + data.getSize() + " bytes");
      }
      long numel = 1;
      long last = t.offset();
      for (int i = 0; i < t.shape().length; i++) {
        numel = Math.multiplyExact(numel, t.shape()[i]);
        if (t.shape()[i] > 0) {
          last = Math.addExact(last, Math.multiplyExact(t.shape()[i] - 1, t.stride()[i]));
        }
      }
      if (numel > 0 && last >= s.numel()) {
        throw new WeightFileException(where + ": view (offset " + t.offset() + ", shape " + java.util.Arrays.toString(t.shape())
            + ", stride " + java.util.Arrays.toString(t.stride()) + ") reaches element " + last + " of a storage of "
            + s.numel());
      }
      long begin = t.offset() * es;
      return new Tensor(new TensorInfo(key, s.dtype(), t.shape(), begin, begin + numel * es), t, data);
    } catch (ArithmeticException overflow) {
      throw new WeightFileException(where + ": declared sizes overflow 64 bits (storage of " + s.numel() + " "
          + s.dtype() + " elements, view shape " + java.util.Arrays.toString(t.shape()) + ")");
    }
  }

  private static byte[] bytes(Path path, ZipFile zip, ZipEntry e, long max) {
    if (e.getSize() > max || e.getSize() > Integer.MAX_VALUE - 16) {
      throw new WeightFileException(path + ": zip entry " + e.getName() + " is " + e.getSize() + " bytes, more than "
          + Math.min(max, Integer.MAX_VALUE - 16) + " read at once");
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = in.readNBytes((int) e.getSize());
      if (b.length != e.getSize()) {
        throw new WeightFileException(path + ": zip entry " + e.getName() + " ends after " + b.length + " of "
            + e.getSize() + " bytes (truncated file?)");
      }
      return b;
    } catch (IOException ex) {
      throw new WeightFileException(path + ": cannot read zip entry " + e.getName() + " (truncated or corrupt?): "
          + ex.getMessage(), ex);
    }
  }

  private Tensor tensor(String key) {
    Tensor t = tensors.get(key);
    if (t == null) {
      throw new WeightFileException(path + ": no tensor '" + key + "'");
    }
    return t;
  }

  /** The tensor's elements in row-major order, little-endian: a slice of its storage, or gathered for a strided view. */
  private ByteBuffer contiguous(Tensor t) {
    TensorRef r = t.ref();
    int es = t.info().dtype().size();
    long numel = t.info().numel();
    long[] shape = r.shape();
    long[] stride = r.stride();
    boolean rowMajor = true;
    long expect = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && stride[i] != expect) {
        rowMajor = false;
      }
      expect *= shape[i];
    }
    byte[] storage = bytes(path, zip, t.storage(), Long.MAX_VALUE);
    ByteBuffer src = ByteBuffer.wrap(storage).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dst = ByteBuffer.allocateDirect(Math.toIntExact(numel * es)).order(ByteOrder.LITTLE_ENDIAN);
    if (rowMajor || numel == 0) {
      dst.put(src.slice(Math.toIntExact(r.offset() * es), dst.capacity()));
    } else {
      long[] index = new long[shape.length];
      for (long n = 0; n < numel; n++) {
        long at = r.offset();
        for (int d = 0; d < shape.length; d++) {
          at += index[d] * stride[d];
        }
        dst.put(src.slice(Math.toIntExact(at * es), es));
        for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
          index[d] = 0;
        }
      }
    }
    return dst.flip();
  }

  @Override
  public Set<String> keys() {
    return tensors.keySet();
  }

  @Override
  public TensorInfo info(String key) {
    return tensor(key).info();
  }

  @Override
  public Path fileOf(String key) {
    return path;
  }

  @Override
  public Path location() {
    return path;
  }

  @Override
  public NDArray load(String key, NDManager manager, DataType target) {
    Tensor t = tensor(key);
    return TensorBytes.toNDArray(key, contiguous(t), t.info().dtype(), t.info().shape(), manager, target);
  }

  @Override
  public float[] floats(String key) {
    Tensor t = tensor(key);
    return TensorBytes.floats(path + ": tensor '" + key + "'", contiguous(t), t.info().dtype());
  }

  @Override
  public void close() {
    closeQuietly(zip);
  }

  private static void closeQuietly(ZipFile zip) {
    try {
      zip.close();
    } catch (IOException ignored) {
      // nothing to lose on a read-only archive
    }
  }
}
