package org.k5spark.jobs.spark.items;

import org.k5spark.core.cli.ExitCode;

/**
 * A failure that concerns every item of a run (weights, model config, output root), found once on the driver
 * before any task starts: one line and an exit code, instead of the same error in every item.
 */
public final class JobRefusal extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public JobRefusal(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A bad setting: exit {@link ExitCode#USAGE}. */
  public static JobRefusal settings(String message) {
    return new JobRefusal(message, ExitCode.USAGE);
  }

  /** A refused input or output location: exit {@link ExitCode#BAD_INPUT}. */
  public static JobRefusal input(String message) {
    return new JobRefusal(message, ExitCode.BAD_INPUT);
  }

  public int exitCode() {
    return exitCode;
  }
}
