package org.k5spark.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void secretKeysAreHiddenWhole() {
    for (String key : new String[] {"fs.s3a.secret.key", "fs.s3a.access.key", "fs.s3a.session.token", "api_key",
        "DB_PASSWORD", "db.passwd", "pwd", "hf_token", "gcp.credentials.json", "spark.authenticate.secret", "SESSION_ID",
        "Authorization"}) {
      assertTrue(Redactor.isSecretKey(key), key);
      assertEquals(Redactor.REDACTED, Redactor.value(key, "v"), key);
    }
    for (String key : new String[] {"spark.executor.cores", "spark.serializer", "steps", "spark.sql.session.timeZone",
        "prompt_column"}) {
      assertFalse(Redactor.isSecretKey(key), key);
    }
    assertEquals("UTC", Redactor.value("spark.sql.session.timeZone", "UTC"));
    assertEquals(null, Redactor.value("fs.s3a.secret.key", null));
  }

  @Test
  void credentialsInsideOtherValuesAreHiddenAndTheRestKept() {
    assertEquals("-Dfs.s3a.secret.key=[redacted] -Xmx1g", Redactor.value("spark.driver.extraJavaOptions",
        "-Dfs.s3a.secret.key=S3CR3T -Xmx1g"));
    assertEquals("https://hub/x?token=[redacted]&rev=main", Redactor.text("https://hub/x?token=abc123&rev=main"));
    assertEquals("password=[redacted], user=bob", Redactor.text("password=p4ss, user=bob"));
    assertEquals("s3a://[redacted]@bucket/x", Redactor.value("uri", "s3a://AK:SK@bucket/x"));
    assertEquals("Authorization: Bearer [redacted]", Redactor.text("Authorization: Bearer eyJhbGciOi.x.y"));
    assertEquals("api_key: [redacted]", Redactor.text("api_key: sk-42"));
    assertEquals("-XX:+UseG1GC -Xmx8g http://proxy:3128", Redactor.text("-XX:+UseG1GC -Xmx8g http://proxy:3128"));
    // idempotent: redacting twice changes nothing
    String once = Redactor.text("-Dmy.token=abc s3a://a:b@c/");
    assertEquals(once, Redactor.text(once));
    assertEquals("-Dmy.token=[redacted] s3a://[redacted]@c/", once);
  }

  @Test
  void jsonTreesAreRedactedAtAnyDepth() throws Exception {
    ObjectMapper m = new ObjectMapper();
    String in = "{\"run_id\":\"r\",\"config\":{\"hadoop\":{\"fs.s3a.secret.key\":\"S\",\"n\":3},"
        + "\"opts\":[\"-Dx.password=P\",\"-Xmx1g\"],\"api_key\":null}}";
    assertEquals("{\"run_id\":\"r\",\"config\":{\"hadoop\":{\"fs.s3a.secret.key\":\"[redacted]\",\"n\":3},"
        + "\"opts\":[\"-Dx.password=[redacted]\",\"-Xmx1g\"],\"api_key\":null}}", Redactor.json(m.readTree(in)).toString());
  }
}
