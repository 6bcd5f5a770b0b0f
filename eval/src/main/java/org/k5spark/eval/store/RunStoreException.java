package org.k5spark.eval.store;

import java.io.IOException;

/**
 * A run's file or location cannot be used: its message is the one line a command prints (the location and what
 * is wrong with it), and the command exits {@code ExitCode.REFUSED}.
 */
public final class RunStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  public RunStoreException(String message) {
    super(message);
  }

  public RunStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
