package org.k5spark.core.cli;

/**
 * The exit codes of every {@code k5} command, one table for all of them (also in {@code k5 --help} and the
 * README): scripts and schedulers (nightly runs) branch on these.
 */
public final class ExitCode {
  /** Everything asked for was done (a run may still hold failed items under its --max-failed-fraction). */
  public static final int OK = 0;
  /** Bad options or settings (an unknown config key, a missing plugin class, weights that cannot load). */
  public static final int USAGE = 1;
  /** An input was refused before any work: not a video, not UTF-8, no rows, not found, not writable. */
  public static final int BAD_INPUT = 2;
  /** The run finished but more items failed than --max-failed-fraction allows (or a nightly gate failed). */
  public static final int TOO_MANY_FAILED = 3;
  /** The Spark stage aborted; the manifest and run.json still record what was committed, with the reason. */
  public static final int ABORTED = 4;

  private ExitCode() {}

  /** The table as {@code k5 --help} prints it. */
  public static String table() {
    return "Exit codes: 0 done; 1 bad options or settings; 2 input refused; 3 too many failed items (or a gate"
        + " failed); 4 the Spark stage aborted (manifest and run.json still written).";
  }
}
