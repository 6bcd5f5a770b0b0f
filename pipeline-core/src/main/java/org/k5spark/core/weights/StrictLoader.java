package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Loads exactly the parameters a module declares: a missing or unexpected key, or a shape mismatch, is
 * one error that names the file, the key and the expected vs actual shape.
 */
public final class StrictLoader {
  private StrictLoader() {}

  /**
   * @param expected parameter name → expected shape, in the order the module declares them
   * @param ignored keys present in the file that this module does not use (e.g. the VAE encoder)
   */
  public static Map<String, NDArray> load(TensorSource src, Map<String, long[]> expected, Predicate<String> ignored,
      NDManager manager, DataType dtype) {
    TreeSet<String> missing = new TreeSet<>();
    for (String k : expected.keySet()) {
      if (!src.keys().contains(k)) {
        missing.add(k);
      }
    }
    TreeSet<String> unexpected = new TreeSet<>();
    for (String k : src.keys()) {
      if (!expected.containsKey(k) && !ignored.test(k)) {
        unexpected.add(k);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      // a missing key is in no file: name what was opened (file or shard index) so the user knows which to fix
      StringBuilder sb = new StringBuilder(src.location() + ": checkpoint does not match the model");
      if (!missing.isEmpty()) {
        String any = missing.first();
        sb.append("; missing ").append(missing.size()).append(" key(s): ").append(shortList(missing));
        sb.append(" (e.g. '").append(any).append("' expected shape ").append(Arrays.toString(expected.get(any))).append(')');
      }
      if (!unexpected.isEmpty()) {
        sb.append("; unexpected ").append(unexpected.size()).append(" key(s) in ")
            .append(src.fileOf(unexpected.first())).append(": ").append(shortList(unexpected));
      }
      throw new WeightFileException(sb.toString());
    }
    List<String> bad = new ArrayList<>();
    for (var e : expected.entrySet()) {
      TensorInfo info = src.info(e.getKey());
      if (!Arrays.equals(info.shape(), e.getValue())) {
        bad.add(src.fileOf(e.getKey()) + ": tensor '" + e.getKey() + "' has shape " + info.shapeString()
            + ", expected " + Arrays.toString(e.getValue()));
      }
      if (info.dtype() != Dtype.F32 && info.dtype() != Dtype.F16 && info.dtype() != Dtype.BF16
          && info.dtype() != Dtype.F64) {
        bad.add(src.fileOf(e.getKey()) + ": tensor '" + e.getKey() + "' has dtype " + info.dtype()
            + ", expected a float type (F32/F16/BF16)");
      }
    }
    if (!bad.isEmpty()) {
      throw new WeightFileException(String.join("; ", bad));
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (String k : expected.keySet()) {
      NDArray a = src.load(k, manager, dtype);
      // poisoned weights (NaN/Inf) would otherwise give rc 0 and black videos; one reduction per tensor
      if (a.isNaN().logicalOr(a.isInfinite()).any().getBoolean()) {
        long n = a.isNaN().logicalOr(a.isInfinite()).countNonzero().getLong();
        throw new WeightFileException(src.fileOf(k) + ": tensor '" + k + "' has " + n
            + " non-finite value(s) (NaN or Inf)");
      }
      out.put(k, a);
    }
    return out;
  }

  private static String shortList(TreeSet<String> keys) {
    List<String> l = new ArrayList<>(keys);
    return l.size() <= 8 ? l.toString() : l.subList(0, 8) + " … and " + (l.size() - 8) + " more";
  }
}
