package org.k5spark.core.weights;

/** bfloat16 is the top half of a float32: widening is a shift, narrowing rounds to nearest even. */
public final class Bf16 {
  private Bf16() {}

  public static float toFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  public static short fromFloat(float f) {
    int x = Float.floatToRawIntBits(f);
    if ((x & 0x7fffffff) > 0x7f800000) {
      return (short) ((x >>> 16) | 0x40); // quiet NaN
    }
    int rounding = 0x7FFF + ((x >>> 16) & 1);
    return (short) ((x + rounding) >>> 16);
  }

  /** Rounds a float to the nearest bfloat16 value, returned as float. */
  public static float round(float f) {
    return toFloat(fromFloat(f));
  }
}
