package org.k5spark.core.vae;

import static org.k5spark.core.vae.VaeOps.slice;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code AutoencoderKLHunyuanVideo._decode} with {@code _temporal_tiled_decode} and {@code tiled_decode}
 * under a {@link TilingPlan}, ported literally (golden README §3.5): the same tile loops (only tiles that
 * fit), the same threshold quirks, and the same sequential in-place linear blending. Tensors are
 * {@code (1, C, T, H, W)}; results live in the manager of the latent passed in.
 */
final class TiledDecode {
  private final VaeDecoder decoder;
  private final TilingPlan plan;
  private final int sr;
  private final int tr;

  TiledDecode(VaeDecoder decoder, TilingPlan plan) {
    this.decoder = decoder;
    this.plan = plan;
    this.sr = decoder.config().spatialCompressionRatio();
    this.tr = decoder.config().temporalCompressionRatio();
  }

  /** {@code _decode(z)}. */
  NDArray decode(NDArray z) {
    long[] s = z.getShape().getShape();
    long frames = s[2];
    long height = s[3];
    long width = s[4];
    // sic: the reference compares the width against the STRIDE width and the height against the MIN height.
    long minHeight = plan.tileHeight() / sr;
    long widthSic = plan.strideWidth() / sr;
    long minFrames = plan.minFrames() / tr;
    if (frames > minFrames + 1) {
      return temporal(z);
    }
    if (width > widthSic || height > minHeight) {
      return spatial(z);
    }
    return decoder.decode(z);
  }

  /** {@code _temporal_tiled_decode}. */
  NDArray temporal(NDArray z) {
    long[] s = z.getShape().getShape();
    long frames = s[2];
    long lh = plan.tileHeight() / sr;
    long lw = plan.tileWidth() / sr;
    long lf = plan.minFrames() / tr;
    long sf = plan.strideFrames() / tr;
    int blend = plan.minFrames() - plan.strideFrames();
    if (sf <= 0) {
      throw new IllegalArgumentException("temporal tile stride " + plan.strideFrames() + " frames is below one latent frame ("
          + tr + "): the reference's range() step would be 0");
    }
    List<Long> starts = new ArrayList<>();
    for (long i = 0; i < frames - lf + 1; i += sf) {
      starts.add(i);
    }
    if (starts.isEmpty()) {
      throw new IllegalArgumentException("latent of " + frames + " frames is shorter than one temporal tile ("
          + (lf + 1) + " latent frames): the reference fails on an empty torch.cat");
    }
    // Streamed: tile k's kept frames are final once it is blended with tile k-1 (blending writes only
    // into the later tile), so each piece goes straight into the output and tile k-1 is freed. Same
    // values as the reference's decode-all / blend-all / cat, without holding every tile plus a copy.
    long bound = (frames - 1) * tr + 1;
    NDArray out = null;
    long offset = 0;
    NDArray prev = null;
    NDArray prevFull = null;
    for (int k = 0; k < starts.size(); k++) {
      long i = starts.get(k);
      NDArray tile = z.get(slice(2, i, Math.min(i + lf + 1, frames)));
      long[] ts = tile.getShape().getShape();
      NDArray full = ts[4] > lw || ts[3] > lh ? spatial(tile) : decoder.decode(tile);
      tile.close();
      NDArray dec = k > 0 ? full.get(slice(2, 1, full.getShape().get(2))) : full;
      if (k > 0) {
        blend(prev, dec, blend, 2);
      }
      long lim = k == 0 ? plan.strideFrames() + 1L
          : k == starts.size() - 1 ? plan.minFrames() : plan.strideFrames();
      long[] ds = dec.getShape().getShape();
      if (out == null) {
        out = z.getManager().zeros(new Shape(ds[0], ds[1], bound, ds[3], ds[4]), dec.getDataType(), dec.getDevice());
      }
      long n = Math.min(Math.min(lim, ds[2]), bound - offset);
      if (n > 0) {
        try (NDArray piece = dec.get(slice(2, 0, n))) {
          out.set(slice(2, offset, offset + n), piece);
        }
        offset += n;
      }
      closeTile(prev, prevFull);
      prev = dec;
      prevFull = full;
    }
    closeTile(prev, prevFull);
    return offset < bound ? out.get(slice(2, 0, offset)) : out;
  }

  private static void closeTile(NDArray view, NDArray full) {
    if (view != null && view != full) {
      view.close();
    }
    if (full != null) {
      full.close();
    }
  }

  /** {@code tiled_decode}: spatial tiles of one (temporal tile of the) latent. */
  NDArray spatial(NDArray z) {
    long[] s = z.getShape().getShape();
    long height = s[3];
    long width = s[4];
    long lh = plan.tileHeight() / sr;
    long lw = plan.tileWidth() / sr;
    long sh = plan.strideHeight() / sr;
    long sw = plan.strideWidth() / sr;
    int blendH = plan.tileHeight() - plan.strideHeight();
    int blendW = plan.tileWidth() - plan.strideWidth();
    if (sh <= 0 || sw <= 0) {
      throw new IllegalArgumentException("spatial tile stride " + plan.strideHeight() + "x" + plan.strideWidth()
          + " px is below one latent pixel (" + sr + " px): the reference's range() step would be 0");
    }
    NDList resultRows = new NDList();
    List<NDArray> above = null;
    for (long i = 0; i < height - lh + 1; i += sh) {
      boolean lastRow = i + sh >= height - lh + 1;
      List<NDArray> current = new ArrayList<>();
      NDList pieces = new NDList();
      int c = 0;
      for (long j = 0; j < width - lw + 1; j += sw, c++) {
        boolean lastCol = j + sw >= width - lw + 1;
        NDArray tileLatent = z.get(new ai.djl.ndarray.index.NDIndex(":, :, :, {}:{}, {}:{}", i, i + lh, j, j + lw));
        NDArray tile = decoder.decode(tileLatent);
        tileLatent.close();
        // In place and in order: this tile is blended before it serves as a neighbour of later tiles.
        if (above != null) {
          tile = blend(above.get(c), tile, blendH, 3);
        }
        if (c > 0) {
          tile = blend(current.get(c - 1), tile, blendW, 4);
        }
        current.add(tile);
        long hLim = lastRow ? plan.tileHeight() : plan.strideHeight();
        long wLim = lastCol ? plan.tileWidth() : plan.strideWidth();
        pieces.add(crop(crop(tile, 3, hLim), 4, wLim));
      }
      if (pieces.isEmpty()) {
        break;
      }
      resultRows.add(pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 4));
      above = current;
    }
    if (resultRows.isEmpty()) {
      throw new IllegalArgumentException("latent " + height + "x" + width + " is smaller than one spatial tile ("
          + lh + "x" + lw + " latent): the reference fails on an empty torch.cat");
    }
    NDArray out = resultRows.size() == 1 ? resultRows.get(0) : NDArrays.concat(resultRows, 3);
    return crop(crop(out, 3, height * sr), 4, width * sr);
  }

  /** {@code x[..., :n]} on {@code axis}, clipping at the end like Python; returns x itself when nothing is cut. */
  static NDArray crop(NDArray x, int axis, long n) {
    long size = x.getShape().get(axis);
    return n >= size ? x : x.get(slice(axis, 0, n));
  }

  /**
   * {@code blend_t / blend_v / blend_h}: for {@code y < e = min(a, b, extent)} along {@code axis},
   * {@code b[y] = a[size_a - e + y] * (1 - y/e) + b[y] * (y/e)}, written into {@code b}; returns {@code b}.
   * The weights are float32 like the reference's Python-scalar products on float32 tensors.
   */
  static NDArray blend(NDArray a, NDArray b, long extent, int axis) {
    long sa = a.getShape().get(axis);
    long e = Math.min(Math.min(sa, b.getShape().get(axis)), extent);
    if (e <= 0) {
      return b;
    }
    float[] wa = new float[(int) e];
    float[] wb = new float[(int) e];
    for (int y = 0; y < e; y++) {
      wa[y] = (float) (1 - (double) y / e);
      wb[y] = (float) ((double) y / e);
    }
    long[] ws = new long[b.getShape().dimension()];
    java.util.Arrays.fill(ws, 1);
    ws[axis] = e;
    var m = b.getManager();
    try (NDArray aw = m.create(wa, new Shape(ws)).toDevice(b.getDevice(), false);
        NDArray bw = m.create(wb, new Shape(ws)).toDevice(b.getDevice(), false);
        NDArray aPart = a.get(slice(axis, sa - e, sa));
        NDArray bPart = b.get(slice(axis, 0, e));
        NDArray left = aPart.mul(aw);
        NDArray right = bPart.mul(bw);
        NDArray mixed = left.add(right)) {
      b.set(slice(axis, 0, e), mixed);
    }
    return b;
  }
}
