package org.k5spark.core.cli;

/**
 * The exit codes of every {@code k5} command, one table for all of them (also in {@code k5 --help} and the
 * README): scripts and schedulers (nightly runs) branch on these. 1 and 2 follow picocli's own convention
 * (an error while running, a usage error), so what picocli exits with by itself fits the table.
 */
public final class ExitCode {
  /** Everything asked for was done (a run may still hold failed items under its --max-failed-fraction). */
  public static final int OK = 0;
  /**
   * Refused before any work: a file or location the whole run needs is unusable (weights, model config, prompt
   * CSVs missing, empty or not UTF-8, an output root nobody can write).
   */
  public static final int REFUSED = 1;
  /** Usage: bad options or job config, or an argument that is not what the command takes (a non-video). */
  public static final int USAGE = 2;
  /** The run finished but more items failed than --max-failed-fraction allows (or a nightly gate failed). */
  public static final int TOO_MANY_FAILED = 3;
  /** The Spark stage aborted; the manifest and run.json still record what was committed, with the reason. */
  public static final int ABORTED = 4;

  private ExitCode() {}

  /** The table as {@code k5 --help} prints it. */
  public static String table() {
    return "Exit codes: 0 done; 1 refused before any work (weights, model config, prompts or output unusable);"
        + " 2 usage (bad options or job config, an argument of the wrong kind); 3 too many failed items (or a gate"
        + " failed); 4 the Spark stage aborted (manifest and run.json still written).";
  }
}
