package org.k5spark.jobs.spark.items;

import org.k5spark.core.cli.ExitCode;

/**
 * A failure that concerns every item of a run (weights, model config, prompt files, output root), found once on
 * the driver before any task starts: one line and exit {@link ExitCode#REFUSED}, instead of the same error in
 * every item.
 */
public final class JobRefusal extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public JobRefusal(String message) {
    super(message);
  }
}
