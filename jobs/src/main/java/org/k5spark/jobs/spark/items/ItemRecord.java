package org.k5spark.jobs.spark.items;

import java.io.Serializable;

/** The committed result of one item of an item job, stored as its part file. */
public interface ItemRecord extends Serializable {
  String itemId();

  /** Wall-clock time of the commit: records older than the job's start were committed by an earlier run. */
  long finishedAtMs();
}
