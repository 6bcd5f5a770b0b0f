package org.k5spark.core.engine;

/**
 * This host cannot do what was asked: a CUDA library the GPU build links is missing, a second (foreign)
 * libtorch is in the process, or {@code --device gpu} was asked where no CUDA device is visible. The message
 * is the whole story in one line (commands print it and exit {@code ExitCode.USAGE}); no stack trace.
 */
public final class UnsupportedHostException extends RuntimeException {
  public UnsupportedHostException(String message) {
    super(message, null, false, false);
  }
}
