package org.k5spark.core.config;

/**
 * The {@code attention} section: {@code flash} = dense attention, {@code nabla} = NABLA block-sparse
 * self-attention in the visual blocks with top-cdf threshold {@code P} and STA windows wT/wH/wW.
 * {@code add_sta} and {@code method} are carried but, as in the reference, not read (STA is always added);
 * the reference's {@code causal}, {@code local}, {@code glob} and {@code window} are accepted and unused.
 */
public record AttentionConfig(String type, double p, int wT, int wH, int wW, boolean addSta, String method) {
  public static final AttentionConfig DENSE = new AttentionConfig("flash", 0, 0, 0, 0, false, "topcdf");

  public static AttentionConfig parse(ConfigNode n) {
    n.allowOnly("type", "P", "wT", "wH", "wW", "add_sta", "method", "causal", "local", "glob", "window");
    String type = n.string("type");
    switch (type) {
      case "flash":
        return new AttentionConfig("flash", 0, 0, 0, 0, false, "topcdf");
      case "nabla":
        double p = n.number("P");
        if (!(p > 0 && p <= 1)) {
          throw n.fail("P", "must be in (0, 1], got " + p);
        }
        return new AttentionConfig("nabla", p, n.positiveInt("wT"), n.positiveInt("wH"), n.positiveInt("wW"),
            n.has("add_sta") ? n.bool("add_sta") : true, n.has("method") ? n.string("method") : "topcdf");
      default:
        throw n.fail("type", "must be 'flash' (dense) or 'nabla', got '" + type + "'");
    }
  }

  public boolean nabla() {
    return "nabla".equals(type);
  }
}
