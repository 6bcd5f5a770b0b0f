package org.k5spark.eval;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One headless {@link Browser} per test class: {@code @RegisterExtension static final BrowserExtension session
 * = new BrowserExtension();} then {@code session.browser()} in the tests.
 */
public final class BrowserExtension implements BeforeAllCallback, AfterAllCallback {
  private Browser browser;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    browser = new Browser();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  public Browser browser() {
    if (browser == null) {
      throw new IllegalStateException("the browser starts before the class's tests (register as a static field)");
    }
    return browser;
  }
}
