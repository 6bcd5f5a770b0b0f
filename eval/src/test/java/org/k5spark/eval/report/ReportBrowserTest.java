package org.k5spark.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.eval.BrowserExtension;
import org.k5spark.eval.compare.CompareRuns;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.Fixtures;
import org.k5spark.eval.compare.RunTable;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

class ReportBrowserTest {
  @RegisterExtension
  static final BrowserExtension session = new BrowserExtension();

  @TempDir
  Path tmp;

  @Test
  void reportRendersEveryPromptAndNeverRunsInjectedScript() throws Exception {
    List<RunTable> runs = Fixtures.twoRuns();
    // a hostile run id too: it lands in headings, table headers and the chart SVG
    String evilRun = "B<img src=x onerror=\"window.__pwnedRun=1\">";
    RunTable b = new RunTable(evilRun, runs.get(1).config(), runs.get(1).videos());
    Comparison cmp = CompareRuns.defaults().compare(List.of(runs.get(0), b), List.of());
    Path f = tmp.resolve("report.html");
    new HtmlReport(cmp, ReportTest.thumbs(), "report <i>x</i>", 3).write(f);

    session.browser().open(f);
    var d = session.browser().driver();
    assertEquals("report <i>x</i>", d.getTitle());
    List<WebElement> rows = d.findElements(By.cssSelector("tr.prompt-row"));
    assertEquals(List.of("p1", "p2", "p3", "p4", "p5", "p6"), rows.stream().map(r -> r.getAttribute("data-prompt-id")).toList());
    String p4 = d.findElement(By.cssSelector("tr.prompt-row[data-prompt-id='p4'] td.pt")).getText();
    assertEquals("<script>window.__pwned=1</script> & \"quotes\"", p4);
    assertEquals("undefined", session.browser().js("return typeof window.__pwned"));
    assertEquals("undefined", session.browser().js("return typeof window.__pwnedRun"));
    assertEquals(0L, session.browser().js("return document.getElementsByTagName('script').length"));
    assertThrows(NoAlertPresentException.class, () -> d.switchTo().alert());
    assertTrue(d.findElement(By.cssSelector("h2.pair")).getText().contains(evilRun));
    // the run-config table: secret values redacted, the rest side by side
    String runsTable = d.findElement(By.id("runs")).getText();
    assertTrue(runsTable.contains("k5-lite-sft") && runsTable.contains("k5-lite-distilled"));
    assertTrue(!runsTable.contains("SUPERSECRET123") && !runsTable.contains("hf_TOPSECRET"));
    // embedded images really decode in the browser: thumbnail PNG and both SVG charts
    Long thumbW = (Long) session.browser().js("var i=document.querySelector('img.thumb'); return i.complete ? i.naturalWidth : -1");
    assertEquals(8L, thumbW);
    @SuppressWarnings("unchecked")
    List<Long> chartW = (List<Long>) session.browser().js(
        "return Array.from(document.querySelectorAll('img.chart')).map(function(i){return i.naturalWidth;})");
    assertEquals(List.of(720L, 720L), chartW);
    assertEquals(List.of("p1", "p6"), d.findElements(By.cssSelector("#unpaired tr td:first-child")).stream()
        .map(WebElement::getText).toList());
  }
}
