package org.k5spark.jobs.nightly;

import picocli.CommandLine;

/** spark-submit entry point ({@code --class org.k5spark.jobs.nightly.NightlyMain}): the options of {@code k5 nightly}. */
public final class NightlyMain {
  private NightlyMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new NightlyCommand(false)).setCommandName("NightlyMain").execute(args));
  }
}
