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
  /**
   * Usage: bad options or job config, an argument that is not what the command takes (a non-video), or a host that
   * cannot do what was asked (--device gpu without a GPU, a CUDA library missing).
   */
  public static final int USAGE = 2;
  /** The run finished but more items failed than --max-failed-fraction allows (or a nightly gate failed). */
  public static final int TOO_MANY_FAILED = 3;
  /**
   * The work could not finish: the Spark stage aborted, or a night could not be judged; the manifest, run.json and
   * verdict.json still record what was committed, with the reason.
   */
  public static final int ABORTED = 4;

  private ExitCode() {}

  /** The table as {@code k5 --help} prints it (a constant: picocli's footer is an annotation value). */
  public static final String TABLE = "Exit codes: 0 done; 1 refused before any work (weights, model config,"
      + " prompts or output unusable); 2 usage (bad options or job config, an argument of the wrong kind, a device or"
      + " library this host lacks); 3 too many failed items (or a gate failed: a nightly regression); 4 aborted (a"
      + " Spark stage aborted or a night could not be judged; manifest, run.json and verdict.json still written).";
}
