package org.k5spark.core.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The registered {@link CaseKind}s. */
public final class CaseKinds {
  private CaseKinds() {}

  public static List<CaseKind> all() {
    List<CaseKind> l = new ArrayList<>();
    ServiceLoader.load(CaseKind.class).forEach(l::add);
    return l;
  }

  public static CaseKind find(String kind) {
    for (CaseKind k : all()) {
      if (k.handles(kind)) {
        return k;
      }
    }
    return null;
  }
}
