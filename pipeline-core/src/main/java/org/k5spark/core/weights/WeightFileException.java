package org.k5spark.core.weights;

/** One clear error about a weight file: which file, which tensor, what was expected and what was found. */
public class WeightFileException extends RuntimeException {
  public WeightFileException(String message) {
    super(message);
  }

  public WeightFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
