package org.k5spark.eval.metrics;

/** L2 normalisation ({@code F.normalize}, eps 1e-12) and cosine similarity of embedding vectors. */
public final class Embeddings {
  private Embeddings() {
  }

  public static double[] normalize(float[] v) {
    double n = 0;
    for (float x : v) {
      n += (double) x * x;
    }
    n = Math.max(Math.sqrt(n), 1e-12);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / n;
    }
    return out;
  }

  /** Dot product of two L2-normalised vectors = their cosine similarity. */
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
