package org.k5spark.eval.stats;

/**
 * Which way a metric improves. {@link #NONE} marks descriptive statistics (brightness, sharpness):
 * they get means and CIs but never a win/tie/loss, since "brighter" is not "better".
 */
public enum Direction {
  HIGHER_IS_BETTER, LOWER_IS_BETTER, NONE
}
