package org.k5spark.core.video;

/** A video file that cannot be read or written: names the file and the reason in one message. */
public class VideoFileException extends RuntimeException {
  public VideoFileException(String file, String reason) {
    super(file + ": " + reason);
  }

  public VideoFileException(String file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
  }
}
