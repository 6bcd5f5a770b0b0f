package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every adaptive-norm layer of the DiT, Linear(silu(time_embed)) split into (shift, scale, gate, ...) chunks,
 * evaluated as ONE GEMM per call: all layers read the same time embedding, so their weights are stacked at
 * load (the per-layer parameters are freed) and the result split once. A layer reads its chunks through its
 * {@link Slot}. The "1 +" of each {@code (1 + scale)} is folded into the stacked bias at load, so the scale
 * chunks come out as {@code 1 + scale}. Float32, like the reference's autocast(float32) helpers.
 */
final class Modulation {
  private static final String FUSED = "modulation.fused";

  private final NDArray weight;
  private final NDArray bias;
  private final long[] splitAt;

  /** Where one layer's chunks start in the {@link #params} list, and how many it has. */
  record Slot(int offset, int chunks) {
    /** Chunk {@code i} of this layer from the list {@link #params} returned. */
    NDArray get(NDList all, int i) {
      return all.get(offset + i);
    }
  }

  /** Collects the modulation layers (in any order) before {@link #build}. */
  static final class Builder {
    private final List<String> prefixes = new ArrayList<>();
    private final List<Integer> chunks = new ArrayList<>();
    private int total;

    /**
     * Registers {@code prefix} (.weight (chunks*D, time_dim), .bias) with chunks ordered (shift, scale, gate)
     * repeated — chunk i is a scale iff i % 3 == 1, as in every Kandinsky modulation.
     */
    Slot add(String prefix, int n) {
      prefixes.add(prefix);
      chunks.add(n);
      Slot s = new Slot(total, n);
      total += n;
      return s;
    }

    Modulation build(DitWeights w) {
      long dim = w.get(prefixes.get(0) + ".weight").getShape().get(0) / chunks.get(0);
      List<String> weights = new ArrayList<>();
      List<String> biases = new ArrayList<>();
      for (String p : prefixes) {
        weights.add(p + ".weight");
        biases.add(p + ".bias");
      }
      NDArray wt = w.concatRows(FUSED + ".weight", weights);
      NDArray b = w.concatRows(FUSED + ".bias", biases);
      float[] one = new float[(int) (total * dim)];
      long[] splitAt = new long[total - 1];
      for (int c = 1; c < total; c++) {
        splitAt[c - 1] = c * dim;
      }
      int c = 0;
      for (int n : chunks) {
        for (int i = 0; i < n; i++, c++) {
          if (i % 3 == 1) {
            Arrays.fill(one, (int) (c * dim), (int) ((c + 1) * dim), 1f);
          }
        }
      }
      NDArray shifted;
      try (NDArray ones = w.manager().create(one, new Shape(one.length))) {
        shifted = b.add(Nn.as(ones, b.getDataType()));
      }
      w.replace(FUSED + ".bias", shifted);
      return new Modulation(wt, shifted, splitAt);
    }
  }

  private Modulation(NDArray weight, NDArray bias, long[] splitAt) {
    this.weight = weight;
    this.bias = bias;
    this.splitAt = splitAt;
  }

  /**
   * time_embed (1, time_dim) float32 to every layer's chunks, each (model_dim) float32; a batched
   * (B, 1, time_dim) gives (B, 1, model_dim) chunks that broadcast over each sample's tokens.
   */
  NDList params(NDArray timeEmbed) {
    NDArray te = Nn.as(timeEmbed, weight.getDataType());
    NDArray all = Nn.as(Nn.linear(Nn.silu(te), weight, bias), DataType.FLOAT32);
    if (te.getShape().dimension() == 2) {
      // one sample: 1-D chunks, which LayerNorm takes as its affine parameters (scaleShiftNorm)
      return all.reshape(-1).split(splitAt, 0);
    }
    return all.split(splitAt, te.getShape().dimension() - 1);
  }

  /**
   * LayerNorm_noaffine(x) * onePlusScale + shift, in float32, returned in the compute dtype (a GEMM input).
   * One sample's 1-D chunks are exactly LayerNorm's affine weight and bias: one fused kernel.
   */
  static NDArray scaleShiftNorm(NDArray x, NDArray onePlusScale, NDArray shift, NormParams norm) {
    NDArray xf = Nn.as(x, DataType.FLOAT32);
    NDArray h = onePlusScale.getShape().dimension() == 1 ? Nn.layerNorm(xf, onePlusScale, shift)
        : Nn.layerNorm(xf, norm.ones(), norm.zeros()).mul(onePlusScale).add(shift);
    return Nn.as(h, norm.compute());
  }

  /**
   * x + gate * out in float32. The residual streams stay float32 in every precision (only GEMMs and
   * attention run in the compute dtype), which keeps a float16 model clear of float16's range limit.
   */
  static NDArray gateSum(NDArray x, NDArray out, NDArray gate) {
    return Nn.addMul(Nn.as(x, DataType.FLOAT32), Nn.as(out, DataType.FLOAT32), gate);
  }

  /**
   * Ones/zeros affine parameters (float32) for the non-affine LayerNorms (DJL's layerNorm wants both), and
   * the compute dtype their outputs feed.
   */
  record NormParams(NDArray ones, NDArray zeros, DataType compute) {}
}
