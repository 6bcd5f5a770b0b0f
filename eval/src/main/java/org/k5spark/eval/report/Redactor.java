package org.k5spark.eval.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes credentials from run configs before they reach a report: values of keys that look like
 * secrets are replaced, and user:password@ parts of URIs in any value are stripped.
 */
public final class Redactor {
  public static final String REDACTED = "[redacted]";
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(secret|token|passw(or)?d|passwd|pwd|access[._-]?key|api[._-]?key|private[._-]?key|credential|auth"
          + "|session[._-]?key|signature).*");
  /** scheme://user:pass@host → scheme://[redacted]@host */
  private static final Pattern URI_USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

  private Redactor() {
  }

  public static boolean isSecretKey(String key) {
    return key != null && SECRET_KEY.matcher(key).matches();
  }

  public static String value(String key, String value) {
    if (value == null) {
      return null;
    }
    if (isSecretKey(key)) {
      return REDACTED;
    }
    return URI_USERINFO.matcher(value).replaceAll("$1" + REDACTED + "@");
  }

  public static Map<String, String> config(Map<String, String> config) {
    Map<String, String> out = new LinkedHashMap<>();
    config.forEach((k, v) -> out.put(k, value(k, v)));
    return out;
  }
}
