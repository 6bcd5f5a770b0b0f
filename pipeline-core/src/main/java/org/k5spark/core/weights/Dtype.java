package org.k5spark.core.weights;

import ai.djl.ndarray.types.DataType;

/** The safetensors dtypes this project reads and writes. */
public enum Dtype {
  F64(8),
  F32(4),
  F16(2),
  BF16(2),
  I64(8),
  I32(4),
  I16(2),
  I8(1),
  U8(1),
  BOOL(1);

  private final int size;

  Dtype(int size) {
    this.size = size;
  }

  public int size() {
    return size;
  }

  public static Dtype parse(String s) {
    for (Dtype d : values()) {
      if (d.name().equals(s)) {
        return d;
      }
    }
    return null;
  }

  /** The DJL type an entry of this dtype is created as. BF16 has none: DJL aborts the JVM on it. */
  public DataType djlType() {
    switch (this) {
      case F64: return DataType.FLOAT64;
      case F32: return DataType.FLOAT32;
      case F16: return DataType.FLOAT16;
      case I64: return DataType.INT64;
      case I32: return DataType.INT32;
      case I8: return DataType.INT8;
      case U8: return DataType.UINT8;
      case BOOL: return DataType.BOOLEAN;
      default: return null;
    }
  }

  public static Dtype of(DataType t) {
    switch (t) {
      case FLOAT64: return F64;
      case FLOAT32: return F32;
      case FLOAT16: return F16;
      case INT64: return I64;
      case INT32: return I32;
      case INT8: return I8;
      case UINT8: return U8;
      case BOOLEAN: return BOOL;
      default: throw new IllegalArgumentException("no safetensors dtype for " + t);
    }
  }
}
