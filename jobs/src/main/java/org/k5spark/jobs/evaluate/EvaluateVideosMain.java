package org.k5spark.jobs.evaluate;

import picocli.CommandLine;

/**
 * spark-submit entry point ({@code --class org.k5spark.jobs.evaluate.EvaluateVideosMain}): the same
 * options as {@code k5 evaluate}, on whatever master spark-submit configured.
 */
public final class EvaluateVideosMain {
  private EvaluateVideosMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new EvaluateCommand(false)).setCommandName("EvaluateVideosMain").execute(args));
  }
}
