package org.k5spark.jobs.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import org.k5spark.core.cli.ExitCode;

/**
 * The night's outcome, written as {@code nights/<night_id>/verdict.json}.
 *
 * @param status      pass | regression | error | skipped
 * @param regressions names of the regressed metrics with their rule, e.g. {@code temporal_flickering (mean_drop)}
 * @param reason      why skipped / error, else null
 */
public record Verdict(String nightId, String time, String status, String candidate, String candidateDigest,
    String baseline, String candidateRun, String baselineRun, List<String> regressions, List<Check> checks,
    String reason, String report) {
  public static final String PASS = "pass";
  public static final String REGRESSION = "regression";
  public static final String ERROR = "error";
  public static final String SKIPPED = "skipped";

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** The JSON through the project's one redactor: a candidate path may carry user:password@ or a ?token=. */
  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(org.k5spark.eval.report.Redactor.json(JSON.valueToTree(this)));
  }

  public static Verdict fromJson(byte[] b) throws IOException {
    return JSON.readValue(b, Verdict.class);
  }

  /** In the one exit-code table: 0 pass (and skipped: nothing new to judge), 3 regression (a gate failed), 4 error. */
  public int exitCode() {
    return switch (status) {
      case PASS, SKIPPED -> ExitCode.OK;
      case REGRESSION -> ExitCode.TOO_MANY_FAILED;
      default -> ExitCode.ABORTED;
    };
  }
}
