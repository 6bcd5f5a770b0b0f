package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** LayerNorm(Linear(x)) with an affine norm: the text_embeddings and pooled_text_embeddings modules. */
final class TextEmbeddings {
  private final NDArray w;
  private final NDArray b;
  private final NDArray normW;
  private final NDArray normB;

  TextEmbeddings(DitWeights weights, String prefix) {
    this.w = weights.get(prefix + ".in_layer.weight");
    this.b = weights.get(prefix + ".in_layer.bias");
    this.normW = weights.get(prefix + ".norm.weight");
    this.normB = weights.get(prefix + ".norm.bias");
  }

  NDArray forward(NDArray x, DataType compute) {
    NDArray h = Nn.as(Nn.linear(Nn.as(x, w.getDataType()), w, b), DataType.FLOAT32);
    return Nn.as(Nn.layerNorm(h, Nn.as(normW, DataType.FLOAT32), Nn.as(normB, DataType.FLOAT32)), compute);
  }
}
