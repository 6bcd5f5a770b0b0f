package org.k5spark.eval.raft;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.k5spark.core.engine.NativeOps;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.flow.FlowField;
import org.k5spark.eval.flow.OpticalFlowEstimator;

/**
 * VBench's dynamic_degree flow: RAFT with 20 iterations on the frames at native resolution, replicate-padded
 * to a multiple of 8 as upstream's {@code InputPadder} ("sintel" mode: split evenly, the extra pixel at the
 * end). The returned field is the PADDED flow, as VBench's {@code get_score} sees it ({@code flow_up} is never
 * unpadded there; the top-5 % cut is {@code int(Hp*Wp*0.05)} of the padded size).
 *
 * <p>RAFT's coarsest correlation level is {@code Hp/64 x Wp/64}; below 128 px padded height or width it has a
 * single row or column and upstream's coordinate normalisation divides by zero (NaN flow, never "dynamic");
 * this port does the same arithmetic and gives the same NaN.
 */
public final class RaftFlow implements OpticalFlowEstimator, AutoCloseable {
  public static final int VBENCH_ITERS = 20;

  private final NDManager weights;
  private final Raft raft;
  private final int iters;

  public RaftFlow(RaftWeights w, NDManager weights, int iters) {
    this.weights = weights;
    this.raft = new Raft(w);
    this.iters = iters;
  }

  /** Loads {@code file} (a converted raft-things.pth) on {@code device}. */
  public static RaftFlow load(Path file, NDManager parent, Device device) {
    NDManager m = parent.newSubManager(device);
    try {
      return new RaftFlow(RaftWeights.load(file, m), m, VBENCH_ITERS);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "raft";
  }

  @Override
  public FlowField estimate(VideoFrames video, int from, int to) {
    try (NDManager scratch = weights.newSubManager()) {
      NDArray flow = estimate(frame(video, from, scratch), frame(video, to, scratch), iters);
      long[] s = flow.getShape().getShape();
      float[] chw = flow.toDevice(Device.cpu(), false).toFloatArray();
      int h = (int) s[2];
      int w = (int) s[3];
      float[] uv = new float[2 * h * w];
      for (int i = 0; i < h * w; i++) {
        uv[2 * i] = chw[i];
        uv[2 * i + 1] = chw[h * w + i];
      }
      return new FlowField(h, w, uv);
    }
  }

  /** Padded flow_up (1, 2, Hp, Wp) between two (1, 3, H, W) [0, 255] frames. */
  public NDArray estimate(NDArray image1, NDArray image2, int iterations) {
    int[] pad = padding(image1.getShape().get(2), image1.getShape().get(3));
    NDArray a = pad(image1, pad);
    NDArray b = pad(image2, pad);
    return raft.forward(a, b, iterations, false).flowUp();
  }

  public Raft raft() {
    return raft;
  }

  /** {@code InputPadder(dims, mode='sintel')._pad}: [left, right, top, bottom]. */
  public static int[] padding(long ht, long wd) {
    int padHt = (int) ((((ht / 8) + 1) * 8 - ht) % 8);
    int padWd = (int) ((((wd / 8) + 1) * 8 - wd) % 8);
    return new int[] {padWd / 2, padWd - padWd / 2, padHt / 2, padHt - padHt / 2};
  }

  public static NDArray pad(NDArray x, int[] pad) {
    if (pad[0] == 0 && pad[1] == 0 && pad[2] == 0 && pad[3] == 0) {
      return x;
    }
    return NativeOps.replicationPad2d(x, pad[0], pad[1], pad[2], pad[3]);
  }

  /** Frame f as VBench feeds it: RGB (1, 3, H, W) float32 of the uint8 values. */
  public static NDArray frame(VideoFrames v, int f, NDManager m) {
    byte[] rgb = java.util.Arrays.copyOfRange(v.rgb(), f * v.frameBytes(), (f + 1) * v.frameBytes());
    NDArray hwc = m.create(java.nio.ByteBuffer.wrap(rgb), new Shape(v.height(), v.width(), 3), DataType.UINT8);
    return hwc.toType(DataType.FLOAT32, false).transpose(2, 0, 1).expandDims(0);
  }

  @Override
  public void close() {
    weights.close();
  }
}
