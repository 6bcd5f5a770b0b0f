package org.k5spark.core.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/** The result of comparing one output against its golden tensor. */
public record Comparison(String name, boolean pass, double maxAbs, double maxRel, long bad, String detail) {

  public static Comparison of(GoldenCase c, GoldenCase.Ref ref, NDArray actual) {
    try (NDArray exp = c.tensor(ref, actual.getManager())) {
      long[] es = exp.getShape().getShape();
      long[] as = actual.getShape().getShape();
      if (!Arrays.equals(es, as)) {
        return new Comparison(ref.name(), false, Double.NaN, Double.NaN, -1,
            "shape " + Arrays.toString(as) + " != expected " + Arrays.toString(es));
      }
      if (ref.exact() || exp.getDataType() == DataType.BOOLEAN) {
        boolean[] e = toBool(exp);
        boolean[] a = toBool(actual);
        long bad = 0;
        for (int i = 0; i < e.length; i++) {
          if (e[i] != a[i]) {
            bad++;
          }
        }
        return new Comparison(ref.name(), bad == 0, bad == 0 ? 0 : 1, 0, bad, bad == 0 ? "exact" : bad + " of " + e.length + " differ");
      }
      double[] e = toDouble(exp);
      double[] a = toDouble(actual);
      double maxAbs = 0;
      double maxRel = 0;
      long bad = 0;
      Tolerance t = ref.tolerance();
      for (int i = 0; i < e.length; i++) {
        double d = Math.abs(a[i] - e[i]);
        if (Double.isNaN(a[i]) || Double.isInfinite(a[i])) {
          bad++;
          maxAbs = Double.NaN;
          continue;
        }
        if (!(d <= t.atol() + t.rtol() * Math.abs(e[i]))) {
          bad++;
        }
        if (!Double.isNaN(maxAbs)) {
          maxAbs = Math.max(maxAbs, d);
        }
        maxRel = Math.max(maxRel, d / Math.max(Math.abs(e[i]), 1e-12));
      }
      return new Comparison(ref.name(), bad == 0, maxAbs, maxRel, bad,
          "atol=" + t.atol() + " rtol=" + t.rtol() + (bad == 0 ? "" : " " + bad + " of " + e.length + " outside"));
    }
  }

  static boolean[] toBool(NDArray a) {
    NDArray b = a.getDataType() == DataType.BOOLEAN ? a : a.toType(DataType.BOOLEAN, false);
    boolean[] out = b.toBooleanArray();
    if (b != a) {
      b.close();
    }
    return out;
  }

  static double[] toDouble(NDArray a) {
    NDArray d = a.getDataType() == DataType.FLOAT64 ? a : a.toType(DataType.FLOAT64, false);
    double[] out = d.toDoubleArray();
    if (d != a) {
      d.close();
    }
    return out;
  }
}
