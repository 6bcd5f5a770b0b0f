package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Token orders of the visual sequence. Dense attention flattens patches row-major (t, h, w). NABLA
 * ({@code to_fractal}) groups them into 8x8-patch blocks of 64 consecutive tokens:
 * token = ((t*(H'/8) + hb)*(W'/8) + wb)*64 + hi*8 + wi for patch (t, hb*8+hi, wb*8+wi).
 */
public final class FractalOrder {
  public static final int BLOCK_SIDE = 8;

  private FractalOrder() {}

  /** (T', H', W', ...) to (T'*H'*W', ...) in row-major or fractal order. */
  public static NDArray flatten(NDArray x, boolean fractal) {
    Shape s = x.getShape();
    long t = s.get(0);
    long h = s.get(1);
    long w = s.get(2);
    Shape rest = s.slice(3);
    if (!fractal) {
      return x.reshape(new Shape(t * h * w).addAll(rest));
    }
    checkDivisible(h, w);
    int extra = rest.dimension();
    int[] axes = new int[5 + extra];
    int[] head = {0, 1, 3, 2, 4};
    System.arraycopy(head, 0, axes, 0, 5);
    for (int i = 0; i < extra; i++) {
      axes[5 + i] = 5 + i;
    }
    return x.reshape(new Shape(t, h / BLOCK_SIDE, BLOCK_SIDE, w / BLOCK_SIDE, BLOCK_SIDE).addAll(rest))
        .transpose(axes).reshape(new Shape(t * h * w).addAll(rest));
  }

  /** (T'*H'*W', C) back to (T', H', W', C). */
  public static NDArray unflatten(NDArray x, long t, long h, long w, boolean fractal) {
    long c = x.getShape().get(1);
    if (!fractal) {
      return x.reshape(t, h, w, c);
    }
    checkDivisible(h, w);
    return x.reshape(t, h / BLOCK_SIDE, w / BLOCK_SIDE, BLOCK_SIDE, BLOCK_SIDE, c).transpose(0, 1, 3, 2, 4, 5)
        .reshape(t, h, w, c);
  }

  private static void checkDivisible(long h, long w) {
    if (h % BLOCK_SIDE != 0 || w % BLOCK_SIDE != 0) {
      throw new IllegalArgumentException("NABLA needs the patch grid divisible by 8, got H'=" + h + " W'=" + w);
    }
  }
}
