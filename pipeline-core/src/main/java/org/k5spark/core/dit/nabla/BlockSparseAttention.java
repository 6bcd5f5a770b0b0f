package org.k5spark.core.dit.nabla;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.k5spark.core.dit.attention.AttentionBackend;

/**
 * Block-sparse softmax attention: query block i of head h attends exactly the key blocks j with
 * mask[h, i, j]. Per chunk of query blocks, the kept key/value blocks are gathered (padded to the largest
 * kept count and masked), and the (head, query block) pairs become the batch of one dense attention call of
 * the backend. Keys are listed in ascending block order, as flex_attention's kv indices.
 */
final class BlockSparseAttention {
  /**
   * Upper bound on gathered key elements per chunk of query blocks: 32 Mi on CPU (128 MB float32), 512 Mi on
   * a GPU (1 GB float16 each for keys and values: fewer, larger batched calls); {@code -Dk5.nabla.gather_elements}.
   */
  static long gatherBudget(ai.djl.Device device) {
    Long configured = Long.getLong("k5.nabla.gather_elements");
    if (configured != null && configured > 0) {
      return configured;
    }
    return device.isGpu() ? 512L << 20 : 32L << 20;
  }

  private BlockSparseAttention() {}

  /**
   * @param q (N, heads, D), k and v the same, N = NB * block, tokens in block order
   * @param mask (heads, NB, NB) BOOLEAN
   * @return (N, heads * D)
   */
  static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, int block, AttentionBackend backend) {
    Shape s = q.getShape();
    long n = s.get(0);
    long heads = s.get(1);
    long d = s.get(2);
    long nb = n / block;
    NDManager parent = q.getManager();
    // kept key blocks first, ascending: argsort of (NB - j) where kept, else a large key
    NDArray counts = mask.toType(DataType.INT64, false).sum(new int[] {2}); // (H, NB)
    long kmax = counts.max().toLongArray()[0];
    NDArray rank = parent.arange(0, (int) nb, 1, DataType.INT64);
    NDArray sortKey = mask.toType(DataType.INT64, false).neg().add(1L).mul(nb).add(rank.reshape(1, 1, nb));
    NDArray order = sortKey.argSort(2, true).get(":, :, :" + kmax); // (H, NB, Kmax) key block ids
    NDArray valid = parent.arange(0, (int) kmax, 1, DataType.INT64).reshape(1, 1, kmax).lt(counts.expandDims(2));
    // per-head block-major layouts: (H * NB, block, D), row h * NB + j = head h, block j
    NDArray qb = q.reshape(nb, block, heads, d).transpose(2, 0, 1, 3);
    NDArray kb = k.reshape(nb, block, heads, d).transpose(2, 0, 1, 3).reshape(heads * nb, block, d);
    NDArray vb = v.reshape(nb, block, heads, d).transpose(2, 0, 1, 3).reshape(heads * nb, block, d);
    NDArray headBase = parent.arange(0, (int) heads, 1, DataType.INT64).mul(nb).reshape(heads, 1, 1);
    NDArray globalIdx = order.add(headBase);
    long chunk = Math.max(1, Math.min(nb, gatherBudget(q.getDevice()) / Math.max(1, heads * kmax * block * d)));
    NDList outs = new NDList();
    for (long b0 = 0; b0 < nb; b0 += chunk) {
      long b1 = Math.min(nb, b0 + chunk);
      long c = b1 - b0;
      try (NDManager cm = parent.newSubManager()) {
        NDArray idx = globalIdx.get(":, " + b0 + ":" + b1 + ", :");
        idx.attach(cm);
        NDArray flat = idx.reshape(heads * c * kmax);
        // gathered keys for every (head, query block): (H*c, Kmax*block, D) -> attention layout (L, batch, D)
        NDArray kg = kb.get(flat).reshape(heads * c, kmax * block, d).transpose(1, 0, 2);
        NDArray vg = vb.get(flat).reshape(heads * c, kmax * block, d).transpose(1, 0, 2);
        NDArray qc = qb.get(":, " + b0 + ":" + b1 + ", :, :").reshape(heads * c, block, d).transpose(1, 0, 2);
        NDArray m = valid.get(":, " + b0 + ":" + b1 + ", :").reshape(heads * c, 1, kmax, 1)
            .repeat(3, block).reshape(heads * c, 1, kmax * block);
        NDArray o = backend.attend(qc, kg, vg, m) // (block, H*c*D)
            .reshape(block, heads, c, d).transpose(2, 0, 1, 3).reshape(c * block, heads * d);
        o.attach(parent);
        outs.add(o);
      }
    }
    return outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 0);
  }
}
