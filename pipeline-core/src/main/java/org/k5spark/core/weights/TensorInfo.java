package org.k5spark.core.weights;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** Header entry of one tensor: dtype, shape and its byte range in the data area. */
public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
  public long numel() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public Shape djlShape() {
    return new Shape(shape);
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
