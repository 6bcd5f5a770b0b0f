package org.k5spark.eval.raft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import org.k5spark.core.engine.NativeOps;

/**
 * RAFT's {@code BasicUpdateBlock} (update.py): motion encoder over (correlation, flow), separable ConvGRU
 * (1x5 then 5x1), flow head, and the 0.25-scaled convex-upsampling mask. Returns {net, mask, delta_flow}.
 */
final class RaftUpdate {
  private static final long[] S1 = {1, 1};
  private final RaftWeights w;

  RaftUpdate(RaftWeights w) {
    this.w = w;
  }

  NDList forward(NDArray net, NDArray inp, NDArray corr, NDArray flow) {
    NDArray motion = motion(flow, corr);
    NDArray x = NDArrays.concat(new NDList(inp, motion), 1);
    net = gru(net, x, "1", 0, 2);
    net = gru(net, x, "2", 2, 0);
    NDArray delta = conv(Activation.relu(conv(net, "update_block.flow_head.conv1", 1, 1)),
        "update_block.flow_head.conv2", 1, 1);
    NDArray mask = conv(Activation.relu(conv(net, "update_block.mask.0", 1, 1)), "update_block.mask.2", 0, 0)
        .mul(0.25f);
    return new NDList(net, mask, delta);
  }

  /** {@code BasicMotionEncoder}: cat(relu(conv(cat(corr features, flow features))), flow), 128 channels. */
  private NDArray motion(NDArray flow, NDArray corr) {
    String e = "update_block.encoder.";
    NDArray cor = Activation.relu(conv(corr, e + "convc1", 0, 0));
    cor = Activation.relu(conv(cor, e + "convc2", 1, 1));
    NDArray flo = Activation.relu(conv(flow, e + "convf1", 3, 3));
    flo = Activation.relu(conv(flo, e + "convf2", 1, 1));
    NDArray out = Activation.relu(conv(NDArrays.concat(new NDList(cor, flo), 1), e + "conv", 1, 1));
    return NDArrays.concat(new NDList(out, flow), 1);
  }

  /** One half of {@code SepConvGRU}: z, r from cat(h, x); q from cat(r*h, x); h = (1-z)*h + z*q. */
  private NDArray gru(NDArray h, NDArray x, String half, int padH, int padW) {
    String g = "update_block.gru.conv";
    NDArray hx = NDArrays.concat(new NDList(h, x), 1);
    NDArray z = Activation.sigmoid(conv(hx, g + "z" + half, padH, padW));
    NDArray r = Activation.sigmoid(conv(hx, g + "r" + half, padH, padW));
    NDArray q = conv(NDArrays.concat(new NDList(r.mul(h), x), 1), g + "q" + half, padH, padW).tanh();
    return z.neg().add(1f).mul(h).add(z.mul(q));
  }

  private NDArray conv(NDArray x, String q, int padH, int padW) {
    return NativeOps.conv2d(x, w.get(q + ".weight"), w.get(q + ".bias"), S1, new long[] {padH, padW});
  }
}
