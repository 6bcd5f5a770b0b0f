package org.k5spark.eval.raft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.engine.NativeOps;

/**
 * RAFT's {@code CorrBlock} (corr.py): the all-pairs correlation volume {@code fmap1^T fmap2 / sqrt(D)} as
 * (h*w, 1, h, w), average-pooled into 4 levels, and the lookup of a (2r+1)^2 window around each pixel's
 * current target per level with {@code grid_sample(align_corners=True)}.
 */
final class RaftCorrelation {
  private final List<NDArray> pyramid = new ArrayList<>();
  /** (1, 2r+1, 2r+1, 2): upstream's {@code stack(meshgrid(dy, dx))} — component 0 (added to x) varies with the FIRST window axis. */
  private final NDArray delta;

  RaftCorrelation(NDArray fmap1, NDArray fmap2) {
    long[] s = fmap1.getShape().getShape();
    long dim = s[1];
    long h = s[2];
    long w = s[3];
    NDArray f1 = fmap1.reshape(s[0], dim, h * w);
    NDArray f2 = fmap2.reshape(s[0], dim, h * w);
    NDArray corr = f1.transpose(0, 2, 1).matMul(f2).div((float) Math.sqrt(dim)).reshape(s[0] * h * w, 1, h, w);
    pyramid.add(corr);
    for (int i = 1; i < RaftLayout.LEVELS; i++) {
      corr = NativeOps.avgPool2d(corr, 2);
      pyramid.add(corr);
    }
    int r = RaftLayout.RADIUS;
    int n = 2 * r + 1;
    float[] d = new float[n * n * 2];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        d[(a * n + b) * 2] = -r + a;
        d[(a * n + b) * 2 + 1] = -r + b;
      }
    }
    NDManager m = fmap1.getManager();
    delta = m.create(d, new Shape(1, n, n, 2));
  }

  List<NDArray> pyramid() {
    return pyramid;
  }

  /** coords (1, 2, h, w) of (x, y) targets → (1, levels*(2r+1)^2, h, w). */
  NDArray lookup(NDArray coords) {
    long[] s = coords.getShape().getShape();
    long b = s[0];
    long h = s[2];
    long w = s[3];
    NDArray c = coords.transpose(0, 2, 3, 1).reshape(b * h * w, 1, 1, 2);
    NDList levels = new NDList();
    for (int i = 0; i < pyramid.size(); i++) {
      NDArray corr = pyramid.get(i);
      NDArray lvl = c.div((float) (1 << i)).add(delta);
      levels.add(sample(corr, lvl).reshape(b, h, w, -1));
    }
    return NDArrays.concat(levels, 3).transpose(0, 3, 1, 2);
  }

  /** {@code bilinear_sampler}: pixel coordinates normalised as {@code 2*x/(W-1) - 1}, then grid_sample. */
  private static NDArray sample(NDArray img, NDArray coords) {
    long hh = img.getShape().get(2);
    long ww = img.getShape().get(3);
    NDList xy = coords.split(2, 3);
    NDArray x = xy.get(0).mul(2f).div((float) (ww - 1)).sub(1f);
    NDArray y = xy.get(1).mul(2f).div((float) (hh - 1)).sub(1f);
    NDArray grid = NDArrays.concat(new NDList(x, y), 3);
    return NativeOps.gridSampleBilinear(img, grid, true);
  }
}
