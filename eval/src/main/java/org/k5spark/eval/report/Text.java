package org.k5spark.eval.report;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.text.StringEscapeUtils;

/** Escaping and number formatting shared by the HTML, Markdown and SBS writers. */
public final class Text {
  private static final Set<String> SAFE_SCHEMES = Set.of("http", "https", "file", "s3", "s3a", "gs", "hdfs");

  private Text() {
  }

  /** HTML-escapes text for element content and double-quoted attributes. */
  public static String html(Object s) {
    return s == null ? "" : StringEscapeUtils.escapeHtml4(String.valueOf(s));
  }

  /**
   * A link target for a video path: relative paths and safe schemes pass (escaped by the caller);
   * anything else (javascript:, data:, ...) becomes "#".
   */
  public static String safeHref(String path) {
    if (path == null || path.isBlank()) {
      return "#";
    }
    String p = path.trim();
    int colon = p.indexOf(':');
    int slash = p.indexOf('/');
    if (colon < 0 || (slash >= 0 && slash < colon)) {
      return p; // relative or absolute file path
    }
    String scheme = p.substring(0, colon).toLowerCase(Locale.ROOT);
    if (SAFE_SCHEMES.contains(scheme)) {
      return p;
    }
    if (p.startsWith("/")) {
      return p;
    }
    return "#";
  }

  /** Path → file URI when it is a plain absolute path, so file:// pages can open it. */
  public static String href(String path) {
    String h = safeHref(path);
    if (h.startsWith("/")) {
      return java.nio.file.Path.of(h).toUri().toString();
    }
    if (!h.equals("#") && !h.contains(":")) {
      // relative path: percent-encode spaces etc. segment-wise without touching the slashes
      StringBuilder sb = new StringBuilder();
      for (String seg : h.split("/", -1)) {
        if (sb.length() > 0) {
          sb.append('/');
        }
        try {
          sb.append(new URI(null, null, seg, null).getRawPath());
        } catch (java.net.URISyntaxException e) {
          return "#";
        }
      }
      return sb.toString();
    }
    return h;
  }

  /** Markdown table cell: HTML-escaped (GitHub renders inline HTML), pipes escaped, one line. */
  public static String md(Object s) {
    if (s == null) {
      return "";
    }
    String e = StringEscapeUtils.escapeHtml4(String.valueOf(s)).replace("|", "\\|").replace("`", "\\`")
        .replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_");
    return e.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  public static String num(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  public static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  /** At most {@code max} characters (code points are not split), "…" marking a cut. */
  public static String abbreviate(String s, int max) {
    if (s == null || s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  /** A confidence level as "95%". */
  public static String level(double v) {
    return String.format(Locale.ROOT, "%s%%", java.math.BigDecimal.valueOf(100 * v).stripTrailingZeros().toPlainString());
  }

  public static String p(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", v);
  }

  public static String ci(org.k5spark.eval.stats.ConfidenceInterval ci) {
    if (Double.isNaN(ci.estimate())) {
      return "–";
    }
    return num(ci.estimate()) + " [" + num(ci.lower()) + ", " + num(ci.upper()) + "]";
  }
}
