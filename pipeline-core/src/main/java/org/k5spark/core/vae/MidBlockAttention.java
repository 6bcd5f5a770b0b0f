package org.k5spark.core.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Linear;

/**
 * The decoder mid block's single-head self-attention (diffusers {@code Attention}, heads 1, dim C) with
 * the block-causal frame mask of {@code prepare_causal_attention_mask}: a token of frame t attends to
 * every token of frames 0..t. Instead of an (L, L) score matrix with -inf entries, queries are processed
 * frame by frame (and in row chunks within a frame) against exactly the keys they may see, so memory
 * stays bounded for long clips; masked entries contribute exactly 0 in the reference too.
 */
final class MidBlockAttention {
  /** Upper bound on score elements held at once (64 Mi floats = 256 MiB). */
  static final long SCORE_BUDGET = 64L << 20;

  private final VaeWeights w;
  private final String p;
  private final int groups;

  MidBlockAttention(VaeWeights w, String prefix, int groups) {
    this.w = w;
    this.p = prefix;
    this.groups = groups;
  }

  /** {@code x} (1, C, T, H, W) → attention output plus the residual {@code x}. */
  NDArray forward(NDArray x) {
    long[] s = x.getShape().getShape();
    long c = s[1];
    long frames = s[2];
    long perFrame = s[3] * s[4];
    long tokens = frames * perFrame;
    float scale = (float) (1.0 / Math.sqrt(c));
    return VaeOps.scoped(x, in -> {
      NDArray n = VaeOps.groupNorm(in, w.get(p + ".group_norm.weight"), w.get(p + ".group_norm.bias"), groups);
      NDArray tok = n.reshape(c, tokens).transpose(1, 0); // (L, C), tokens in (t, h, w) order
      NDArray q = linear(tok, "to_q");
      NDArray kT = linear(tok, "to_k").transpose(1, 0); // (C, L)
      NDArray v = linear(tok, "to_v");
      NDList outs = new NDList();
      for (long t = 0; t < frames; t++) {
        long keys = (t + 1) * perFrame;
        NDArray kt = kT.get(new NDIndex(":, 0:{}", keys));
        NDArray vt = v.get(new NDIndex("0:{}", keys));
        long rows = Math.max(1, Math.min(perFrame, SCORE_BUDGET / keys));
        for (long r0 = t * perFrame; r0 < (t + 1) * perFrame; r0 += rows) {
          long r1 = Math.min(r0 + rows, (t + 1) * perFrame);
          NDArray qc = q.get(new NDIndex("{}:{}", r0, r1));
          NDArray probs = qc.matMul(kt).muli(scale).softmax(-1);
          outs.add(probs.matMul(vt));
          qc.close();
          probs.close();
        }
      }
      NDArray o = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 0);
      o = linear(o, "to_out.0");
      NDArray residual = in.reshape(c, tokens).transpose(1, 0);
      return o.addi(residual).transpose(1, 0).reshape(s);
    });
  }

  private NDArray linear(NDArray x, String name) {
    return Linear.linear(x, w.get(p + "." + name + ".weight"), w.get(p + "." + name + ".bias")).singletonOrThrow();
  }
}
