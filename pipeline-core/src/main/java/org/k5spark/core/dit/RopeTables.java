package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RoPE tables of recent position sets, built once and reused: a sampler calls the DiT with the same
 * positions every step (and CFG twice per step), and building a 3-D table is ~40 small ops. Keyed by the
 * position values (read back per call: one small copy), the scale factor and the token order; a few entries
 * are kept, least recently used dropped. The tables live in their own manager (closed with the model).
 */
final class RopeTables implements AutoCloseable {
  /** Enough for the text + negative-text tables and a visual shape or two. */
  private static final int CAPACITY = 6;

  private final NDManager manager;
  private final int headDim;
  private final int[] axesDims;
  private final Map<Key, Rope.Table> tables = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Rope.Table> eldest) {
      if (size() > CAPACITY) {
        eldest.getValue().cos().close();
        eldest.getValue().sin().close();
        return true;
      }
      return false;
    }
  };

  RopeTables(NDManager parent, int headDim, int[] axesDims) {
    this.manager = parent.newSubManager();
    this.headDim = headDim;
    this.axesDims = axesDims.clone();
  }

  private record Key(long[][] pos, float[] scale, boolean fractal) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.deepEquals(pos, k.pos) && Arrays.equals(scale, k.scale)
          && fractal == k.fractal;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.deepHashCode(pos) + Arrays.hashCode(scale)) + Boolean.hashCode(fractal);
    }
  }

  /** RoPE1D table (L, head_dim) of the text positions (L,) int64. */
  synchronized Rope.Table text(NDArray pos) {
    Key key = new Key(new long[][] {pos.toLongArray()}, null, false);
    Rope.Table t = tables.get(key);
    if (t == null) {
      try (NDManager tmp = manager.newSubManager()) {
        t = keep(Rope.text(tmp.create(key.pos()[0]), headDim));
      }
      tables.put(key, t);
    }
    return t;
  }

  /**
   * RoPE3D table of the per-axis positions, flattened to the visual token order: (T'*H'*W', head_dim),
   * row-major or fractal (NABLA) as {@link FractalOrder#flatten}.
   */
  synchronized Rope.Table visualTokens(NDArray[] pos, float[] scaleFactor, boolean fractal) {
    Key key = new Key(new long[][] {pos[0].toLongArray(), pos[1].toLongArray(), pos[2].toLongArray()},
        scaleFactor.clone(), fractal);
    Rope.Table t = tables.get(key);
    if (t == null) {
      try (NDManager tmp = manager.newSubManager()) {
        NDArray[] p = {tmp.create(key.pos()[0]), tmp.create(key.pos()[1]), tmp.create(key.pos()[2])};
        Rope.Table grid = Rope.visual(p, axesDims, scaleFactor);
        t = keep(new Rope.Table(FractalOrder.flatten(grid.cos(), fractal), FractalOrder.flatten(grid.sin(), fractal)));
      }
      tables.put(key, t);
    }
    return t;
  }

  /** Moves a table out of its temporary manager. */
  private Rope.Table keep(Rope.Table t) {
    t.cos().attach(manager);
    t.sin().attach(manager);
    return t;
  }

  @Override
  public synchronized void close() {
    tables.clear();
    manager.close();
  }
}
