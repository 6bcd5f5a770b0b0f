package org.k5spark.eval;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's chromium + chromium-driver), driven by Selenium with explicit
 * binary and driver paths so Selenium Manager never looks for (or downloads) anything. Pages are
 * opened from file:// URLs only; the profile is a fresh temp dir per browser.
 */
public final class Browser implements AutoCloseable {
  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  /** Selenium warns that it has no CDP bindings for this Chromium; CDP is never used. Held strongly: JUL loggers are weak. */
  private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

  private final ChromeDriver driver;
  private final Path profile;

  public Browser() throws IOException {
    for (String exe : new String[] {CHROMIUM, CHROMEDRIVER}) {
      if (!new File(exe).canExecute()) {
        throw new IllegalStateException(exe + " is missing: apt-get install -y chromium chromium-driver");
      }
    }
    CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    profile = Files.createTempDirectory("k5-chromium-profile");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile);
    ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    driver = new ChromeDriver(svc, o);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(Path file) {
    driver.get(file.toAbsolutePath().toUri().toString());
  }

  public Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var s = Files.walk(profile)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
