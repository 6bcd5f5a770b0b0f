package org.k5spark.eval.stats;

/** Result of one paired judgment, always from the point of view of the first ("A") run. */
public enum Outcome {
  WIN, TIE, LOSS;

  public Outcome flipped() {
    return this == WIN ? LOSS : this == LOSS ? WIN : TIE;
  }
}
