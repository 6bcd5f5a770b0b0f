package org.k5spark.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one credential redactor of the project: run.json, eval.json, verdict.json, reports, summaries and log
 * lines that echo configuration all go through it, so a key hidden in one file cannot appear in another.
 *
 * <ul>
 *   <li>The value of a key containing secret, key, token, password/passwd/pwd, credential, session or auth
 *       (case-insensitive, anywhere in the key: {@code fs.s3a.secret.key}, {@code api_key}, {@code HF_TOKEN},
 *       {@code fs.s3a.session.token}) is replaced whole.</li>
 *   <li>Inside any other value, credentials that ride along are replaced: {@code NAME=VALUE} or {@code NAME: VALUE}
 *       where NAME has one of those words ({@code -Dfs.s3a.secret.key=XYZ} in
 *       {@code spark.driver.extraJavaOptions}, {@code ?token=XYZ} in a URL), {@code Bearer}/{@code Basic}
 *       credentials, and the user:password of {@code scheme://user:password@host}.</li>
 * </ul>
 *
 * <p>Matching is deliberately broad ("key" also hides {@code spark.ssl.keyStore}, "session" also hides
 * {@code spark.sql.session.timeZone}): losing a harmless value costs less than printing a secret. The one
 * exception is {@link #HARMLESS}: keys whose values are needed to reproduce a run and never carry a secret.
 */
public final class Redactor {
  public static final String REDACTED = "[redacted]";
  private static final String WORDS = "secret|key|token|passw(?:or)?d|pwd|credential|session|auth";
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(" + WORDS + ").*");
  /** Known keys that match a word above but hold settings, not secrets (documented exceptions). */
  static final Set<String> HARMLESS = Set.of("spark.sql.session.timeZone");
  /** NAME=VALUE / NAME: VALUE inside a value, NAME holding a secret word; VALUE ends at a blank, quote or separator. */
  private static final Pattern EMBEDDED = Pattern.compile(
      "(?i)([A-Za-z0-9_.\\-]*(?:" + WORDS + ")[A-Za-z0-9_.\\-]*\\s*(?:=|:\\s*))(?!(?:Bearer|Basic)\\s)([^\\s,;&\"'\\[][^\\s,;&\"']*)");
  /** HTTP credentials: "Authorization: Bearer XYZ" or "Basic dXNlcjpwYXNz". */
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=\\-]+");
  /** scheme://user:pass@host → scheme://[redacted]@host */
  private static final Pattern URI_USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

  private Redactor() {
  }

  public static boolean isSecretKey(String key) {
    return key != null && !HARMLESS.contains(key) && SECRET_KEY.matcher(key).matches();
  }

  /** The value to show for {@code key}: hidden whole for a secret key, else with embedded credentials hidden. */
  public static String value(String key, String value) {
    if (value == null) {
      return null;
    }
    return isSecretKey(key) ? REDACTED : text(value);
  }

  /** Free text (a conf value, a log line, a command line): embedded credentials hidden, the rest kept. */
  public static String text(String s) {
    if (s == null) {
      return null;
    }
    // Bearer/Basic first: "Authorization: Bearer X" must hide X, not the word Bearer
    String out = BEARER.matcher(s).replaceAll("$1 " + REDACTED);
    out = EMBEDDED.matcher(out).replaceAll("$1" + REDACTED);
    return URI_USERINFO.matcher(out).replaceAll("$1" + REDACTED + "@");
  }

  public static Map<String, String> config(Map<String, String> config) {
    Map<String, String> out = new LinkedHashMap<>();
    config.forEach((k, v) -> out.put(k, value(k, v)));
    return out;
  }

  /** A copy of a JSON tree with every secret key's value and every embedded credential hidden, at any depth. */
  public static JsonNode json(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      ObjectNode out = ((ObjectNode) node).objectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(),
          isSecretKey(e.getKey()) && !e.getValue().isNull() ? TextNode.valueOf(REDACTED) : json(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = ((ArrayNode) node).arrayNode();
      node.forEach(n -> out.add(json(n)));
      return out;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(text(node.asText()));
    }
    return node;
  }
}
