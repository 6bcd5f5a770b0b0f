package org.k5spark.jobs.generate;

import picocli.CommandLine;

/**
 * spark-submit entry point ({@code --class org.k5spark.jobs.generate.GenerateVideosMain}): the same
 * options as {@code k5 generate}, on whatever master spark-submit configured.
 */
public final class GenerateVideosMain {
  private GenerateVideosMain() {}

  public static void main(String[] args) {
    int rc = new CommandLine(new GenerateCommand(false)).setCommandName("GenerateVideosMain").execute(args);
    System.exit(rc);
  }
}
