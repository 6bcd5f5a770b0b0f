package org.k5spark.core.config;

/** A model config that is missing a field or has a bad value; the message names the field and the file. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
