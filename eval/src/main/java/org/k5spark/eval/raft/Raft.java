package org.k5spark.eval.raft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The original RAFT (Teed and Deng 2020) as VBench runs it for dynamic_degree ({@code RAFT.forward(image1,
 * image2, iters=20, test_mode=True)} of vbench/third_party/RAFT/core/raft.py, float32, no mixed precision, the
 * all-pairs CorrBlock): features and context at 1/8 resolution, {@code iters} ConvGRU refinements of the
 * coordinates, convex 8x upsampling of the final flow.
 *
 * <p>Upstream upsamples after every iteration and returns the last; only the last is computed here (the others
 * feed nothing). Each iteration's temporaries live in a sub-manager closed at its end, so memory stays at
 * one iteration's working set plus the correlation pyramid ({@code (H/8*W/8)^2 * 4/3} floats).
 */
public final class Raft {
  /** Per-stage values of one call, for golden comparisons. */
  public record Trace(NDArray fmap1, NDArray fmap2, NDArray cnet, List<NDArray> pyramid, NDArray lookupFirst,
      NDArray lookupLast, NDArray flowLowIters) {}

  /** flowLow (1, 2, H/8, W/8), flowUp (1, 2, H, W) in pixels; trace null unless asked for. */
  public record Result(NDArray flowLow, NDArray flowUp, Trace trace) {}

  private final RaftEncoder fnet;
  private final RaftEncoder cnet;
  private final RaftUpdate update;

  public Raft(RaftWeights w) {
    this.fnet = new RaftEncoder(w, "fnet", false);
    this.cnet = new RaftEncoder(w, "cnet", true);
    this.update = new RaftUpdate(w);
  }

  /**
   * @param image1 (1, 3, H, W) RGB float in [0, 255], H and W multiples of 8 (pad first: {@link RaftFlow});
   *     results land in its manager
   */
  public Result forward(NDArray image1, NDArray image2, int iters, boolean trace) {
    NDManager m = image1.getManager();
    NDArray i1 = image1.div(255f).mul(2f).sub(1f);
    NDArray i2 = image2.div(255f).mul(2f).sub(1f);
    NDList fmaps = fnet.forward(NDArrays.concat(new NDList(i1, i2), 0)).split(2, 0);
    RaftCorrelation corr = new RaftCorrelation(fmaps.get(0), fmaps.get(1));
    NDArray ctx = cnet.forward(i1);
    NDList split = ctx.split(new long[] {RaftLayout.HIDDEN}, 1);
    NDArray net = split.get(0).tanh();
    NDArray inp = ai.djl.nn.Activation.relu(split.get(1));
    long h = fmaps.get(0).getShape().get(2);
    long w = fmaps.get(0).getShape().get(3);
    NDArray coords0 = coordsGrid(m, h, w);
    NDArray coords1 = coords0.duplicate();
    NDArray mask = null;
    NDArray lookupFirst = null;
    NDArray lookupLast = null;
    List<NDArray> flows = new ArrayList<>();
    for (int it = 0; it < iters; it++) {
      try (NDManager sub = m.newSubManager()) {
        for (NDArray constant : corr.pyramid()) {
          constant.tempAttach(sub);
        }
        inp.tempAttach(sub);
        coords0.tempAttach(sub);
        net.attach(sub);
        coords1.attach(sub);
        if (mask != null) {
          mask.attach(sub);
        }
        NDArray lookup = corr.lookup(coords1);
        NDList out = update.forward(net, inp, lookup, coords1.sub(coords0));
        net = out.get(0);
        mask = out.get(1);
        coords1 = coords1.add(out.get(2));
        net.attach(m);
        mask.attach(m);
        coords1.attach(m);
        if (trace) {
          if (it == 0) {
            lookupFirst = lookup;
            lookupFirst.attach(m);
          } else if (it == iters - 1) {
            lookupLast = lookup;
            lookupLast.attach(m);
          }
          NDArray f = coords1.sub(coords0);
          f.attach(m);
          flows.add(f);
        }
      }
    }
    NDArray flowLow = coords1.sub(coords0);
    NDArray flowUp = iters == 0 ? null : upsample(flowLow, mask);
    Trace t = null;
    if (trace) {
      t = new Trace(fmaps.get(0), fmaps.get(1), ctx, corr.pyramid(), lookupFirst,
          lookupLast == null ? lookupFirst : lookupLast, NDArrays.concat(new NDList(flows), 0));
    }
    return new Result(flowLow, flowUp, t);
  }

  /** {@code coords_grid}: channel 0 the column (x), channel 1 the row (y), float. */
  static NDArray coordsGrid(NDManager m, long h, long w) {
    float[] g = new float[(int) (2 * h * w)];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        g[(int) (y * w + x)] = x;
        g[(int) (h * w + y * w + x)] = y;
      }
    }
    return m.create(g, new Shape(1, 2, h, w));
  }

  /**
   * {@code upsample_flow}: each full-resolution pixel is a softmax-weighted (convex) combination of the 3x3
   * coarse neighbours of 8*flow; mask (N, 9*64, h, w) → flow (N, 2, 8h, 8w).
   */
  static NDArray upsample(NDArray flow, NDArray mask) {
    long[] s = flow.getShape().getShape();
    long n = s[0];
    long h = s[2];
    long w = s[3];
    NDArray weights = mask.reshape(n, 1, 9, 8, 8, h, w).softmax(2);
    NDArray up = org.k5spark.core.engine.NativeOps.unfold(flow.mul(8f), 3, 1).reshape(n, 2, 9, 1, 1, h, w);
    NDArray sum = weights.mul(up).sum(new int[] {2});
    return sum.transpose(0, 1, 4, 2, 5, 3).reshape(n, 2, 8 * h, 8 * w);
  }
}
