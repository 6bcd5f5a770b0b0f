package org.k5spark.core.sampler;

import ai.djl.ndarray.NDArray;

/**
 * One prompt's text conditioning for the DiT: Qwen token embeddings (L, in_text_dim), the CLIP pooled
 * embedding (1, in_text_dim2) and the text RoPE positions arange(L) (int64).
 */
public record Conditioning(NDArray textEmbed, NDArray pooledEmbed, NDArray ropePos) {}
