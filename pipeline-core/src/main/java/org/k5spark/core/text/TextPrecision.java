package org.k5spark.core.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import java.util.Map;

/**
 * How the two text towers store their weights and compute: {@link #FLOAT32} throughout (the CPU default, the
 * golden path) or {@link #FLOAT16} mixed precision (the GPU default). The half path keeps the linear layers'
 * weights and GEMMs in float16 — the 7B encoder's ~15 GB instead of ~30 GB, and tensor-core GEMMs — while the
 * residual stream, the norms (with their weights), the attention scores and the softmax stay float32: the
 * residual stream of Qwen2.5 carries "massive activations" in the thousands that a float16 sum would lose the
 * low bits of (or overflow on), and a float16 softmax underflows. bfloat16 is not used because a BFLOAT16 DJL
 * NDArray aborts the JVM (see {@code NativeTensorCopy}); the released bf16 weights widen to float16 exactly
 * apart from values below float16's normal range (|w| < 6.1e-5, which keep 2^-24 absolute precision).
 *
 * <p>Selected with {@code -Dk5.textPrecision=auto|fp32|fp16}: {@code auto} (default) is fp16 on a GPU and
 * fp32 on the CPU; fp16 on the CPU is allowed (that is how it is tested, slower than fp32 there).
 */
public enum TextPrecision {
  FLOAT32(DataType.FLOAT32),
  FLOAT16(DataType.FLOAT16);

  public static final String PROPERTY = "k5.textPrecision";

  private final DataType weightType;

  TextPrecision(DataType weightType) {
    this.weightType = weightType;
  }

  /** The dtype the linear layers' weights are loaded in (norm weights are always float32). */
  public DataType weightType() {
    return weightType;
  }

  /** The precision {@code -Dk5.textPrecision} asks for on {@code device}. */
  public static TextPrecision forDevice(Device device) {
    return parse(System.getProperty(PROPERTY, "auto"), device);
  }

  /**
   * {@code auto}, {@code fp32}/{@code float32} or {@code fp16}/{@code float16}; anything else is one line
   * naming the property, the value and the choices.
   */
  public static TextPrecision parse(String value, Device device) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> device.isGpu() ? FLOAT16 : FLOAT32;
      case "fp32", "float32" -> FLOAT32;
      case "fp16", "float16", "half" -> FLOAT16;
      default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
          + ": expected auto, fp32 or fp16");
    };
  }

  /** The precision of weights loaded as {@code dtype} (FLOAT16 = the mixed half path). */
  public static TextPrecision of(DataType dtype) {
    if (dtype == DataType.FLOAT16) {
      return FLOAT16;
    }
    if (dtype == DataType.FLOAT32) {
      return FLOAT32;
    }
    throw new IllegalArgumentException("text encoders run in float32 or float16, not " + dtype);
  }

  /**
   * Widens the norm weights (keys containing {@code norm}) of a half load to float32 in place: they are
   * vectors (a few KB) and the norms compute in float32.
   */
  static void widenNorms(Map<String, NDArray> loaded) {
    for (var e : loaded.entrySet()) {
      NDArray a = e.getValue();
      if (e.getKey().contains("norm") && a.getDataType() != DataType.FLOAT32) {
        e.setValue(a.toType(DataType.FLOAT32, true));
        a.close();
      }
    }
  }
}
