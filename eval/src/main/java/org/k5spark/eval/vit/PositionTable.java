package org.k5spark.eval.vit;

/**
 * Position embeddings for a patch grid: the trained table when the grid matches, otherwise DINO's
 * {@code interpolate_pos_encoding}: bicubic over the trained square grid with scale factor
 * {@code (g + 0.1) / sqrt(N)} per axis (the +0.1 avoids floating-point truncation of the output size).
 */
final class PositionTable {
  private PositionTable() {
  }

  /** @param table (1 + grid*grid, width) row-major; returns (1 + gh*gw, width) */
  static float[] forGrid(float[] table, int grid, int width, int gh, int gw) {
    if (gh == grid && gw == grid) {
      return table;
    }
    float[] planar = new float[width * grid * grid];
    for (int i = 0; i < grid * grid; i++) {
      for (int c = 0; c < width; c++) {
        planar[c * grid * grid + i] = table[(1 + i) * width + c];
      }
    }
    float[] resized = Resample.resize(planar, width, grid, grid, gh, gw, Resample.Mode.BICUBIC,
        grid / (gh + 0.1), grid / (gw + 0.1));
    float[] out = new float[(1 + gh * gw) * width];
    System.arraycopy(table, 0, out, 0, width);
    for (int i = 0; i < gh * gw; i++) {
      for (int c = 0; c < width; c++) {
        out[(1 + i) * width + c] = resized[c * gh * gw + i];
      }
    }
    return out;
  }
}
