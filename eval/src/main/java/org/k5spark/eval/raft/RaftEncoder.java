package org.k5spark.eval.raft;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.k5spark.core.engine.NativeOps;

/**
 * RAFT's {@code BasicEncoder} (extractor.py): 7x7 stride-2 conv, norm, ReLU, three stages of two residual blocks
 * (64, 96/2, 128/2 channels: 1/8 resolution), 1x1 output conv. The feature encoder uses instance norm
 * (no parameters), the context encoder batch norm with running statistics (eval mode).
 */
final class RaftEncoder {
  private static final long[] S1 = {1, 1};
  private static final long[] S2 = {2, 2};
  private static final long[] P0 = {0, 0};
  private static final long[] P1 = {1, 1};

  private final RaftWeights w;
  private final String p;
  private final boolean batchNorm;

  RaftEncoder(RaftWeights w, String prefix, boolean batchNorm) {
    this.w = w;
    this.p = prefix;
    this.batchNorm = batchNorm;
  }

  /** (N, 3, H, W) in [-1, 1] → (N, outDim, H/8, W/8). */
  NDArray forward(NDArray x) {
    NDArray y = NativeOps.conv2d(x, w.get(p + ".conv1.weight"), w.get(p + ".conv1.bias"), S2, new long[] {3, 3});
    y = Activation.relu(norm(y, p + ".norm1"));
    y = block(y, p + ".layer1.0", 1);
    y = block(y, p + ".layer1.1", 1);
    y = block(y, p + ".layer2.0", 2);
    y = block(y, p + ".layer2.1", 1);
    y = block(y, p + ".layer3.0", 2);
    y = block(y, p + ".layer3.1", 1);
    return conv(y, p + ".conv2", S1, P0);
  }

  /** {@code ResidualBlock}: relu(x' + relu(n2(c2(relu(n1(c1(x))))))), x' = n3(1x1 stride conv(x)) when strided. */
  private NDArray block(NDArray x, String q, int stride) {
    long[] s = stride == 1 ? S1 : S2;
    NDArray y = Activation.relu(norm(conv(x, q + ".conv1", s, P1), q + ".norm1"));
    y = Activation.relu(norm(conv(y, q + ".conv2", S1, P1), q + ".norm2"));
    NDArray skip = stride == 1 ? x : norm(conv(x, q + ".downsample.0", s, P0), q + ".downsample.1");
    return Activation.relu(skip.add(y));
  }

  private NDArray conv(NDArray x, String q, long[] stride, long[] pad) {
    return NativeOps.conv2d(x, w.get(q + ".weight"), w.get(q + ".bias"), stride, pad);
  }

  private NDArray norm(NDArray x, String q) {
    if (!batchNorm) {
      return NativeOps.instanceNorm(x);
    }
    return NativeOps.batchNormEval(x, w.get(q + ".weight"), w.get(q + ".bias"), w.get(q + ".running_mean"),
        w.get(q + ".running_var"));
  }
}
