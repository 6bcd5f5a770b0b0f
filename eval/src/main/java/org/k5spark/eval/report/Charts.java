package org.k5spark.eval.report;

import java.awt.Color;
import java.awt.Rectangle;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.stats.Direction;

/**
 * Charts as SVG (JFreeChart drawing into JFreeSVG's Graphics2D), returned as data URIs for
 * {@code <img>}: an SVG loaded as an image never runs scripts, so user strings in labels are inert
 * even if an escaping bug slipped through.
 */
public final class Charts {
  private static final Color WIN = new Color(0x2e7d32);
  private static final Color TIE = new Color(0xbdbdbd);
  private static final Color LOSS = new Color(0xc62828);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {
  }

  /** Stacked horizontal bars: A wins / tie / B wins shares per criterion — the layout of the K5 SBS charts. */
  public static String winTieLoss(String runA, String runB, List<MetricRow> overallRows) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    String w = runA + " wins";
    String t = "tie";
    String l = runB + " wins";
    for (MetricRow r : overallRows) {
      if (r.direction() == Direction.NONE || r.wtl().total() == 0) {
        continue;
      }
      ds.addValue(100 * r.wtl().winShare(), w, r.name());
      ds.addValue(100 * r.wtl().tieShare(), t, r.name());
      ds.addValue(100 * r.wtl().lossShare(), l, r.name());
    }
    JFreeChart chart = ChartFactory.createStackedBarChart(runA + " vs " + runB, null, "% of prompts", ds,
        PlotOrientation.HORIZONTAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
    StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
    r.setSeriesPaint(0, WIN);
    r.setSeriesPaint(1, TIE);
    r.setSeriesPaint(2, LOSS);
    r.setShadowVisible(false);
    return svg(chart, 720, 80 + 36 * Math.max(1, ds.getColumnCount()));
  }

  /**
   * Grouped bars: mean of each metric per run (one bar per run). Only metrics whose means all lie in [0, 1]
   * (the VBench scores) share the axis; counts and raw statistics (frame counts, sharpness) would flatten
   * them, and they are in the tables anyway.
   */
  public static String means(List<RunTable> runs, List<String> metrics) {
    java.util.Map<String, java.util.Map<String, Double>> byMetric = new java.util.LinkedHashMap<>();
    for (String m : metrics) {
      java.util.Map<String, Double> perRun = new java.util.LinkedHashMap<>();
      for (RunTable run : runs) {
        double s = 0;
        int n = 0;
        for (var v : run.videos()) {
          Double d = v.metric(m);
          if (d != null && !d.isNaN()) {
            s += d;
            n++;
          }
        }
        if (n > 0) {
          perRun.put(run.runId(), s / n);
        }
      }
      if (!perRun.isEmpty() && perRun.values().stream().allMatch(x -> x >= 0 && x <= 1)) {
        byMetric.put(m, perRun);
      }
    }
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    byMetric.forEach((m, perRun) -> perRun.forEach((run, mean) -> ds.addValue(mean, run, m)));
    JFreeChart chart = ChartFactory.createBarChart("Mean per metric (scores in [0, 1])", null, "mean", ds,
        PlotOrientation.HORIZONTAL,
        true, false, false);
    ((BarRenderer) chart.getCategoryPlot().getRenderer()).setShadowVisible(false);
    return svg(chart, 720, 80 + 22 * Math.max(1, ds.getColumnCount() * Math.max(1, runs.size())));
  }

  /**
   * A metric's trend over nights: the candidate's mean per night as a line, nights that regressed on this
   * metric marked by a red point (categories = night ids in the given order).
   */
  public static String trend(String metric, List<String> nights, List<Double> values, List<Boolean> regressed) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (int i = 0; i < nights.size(); i++) {
      Double v = values.get(i);
      ds.addValue(v, "candidate mean", nights.get(i));
      ds.addValue(Boolean.TRUE.equals(regressed.get(i)) ? v : null, "regression", nights.get(i));
    }
    JFreeChart chart = ChartFactory.createLineChart(metric + " over nights", null, metric, ds, PlotOrientation.VERTICAL,
        true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    org.jfree.chart.renderer.category.LineAndShapeRenderer r =
        (org.jfree.chart.renderer.category.LineAndShapeRenderer) plot.getRenderer();
    r.setSeriesPaint(0, new Color(0x1565c0));
    r.setSeriesShapesVisible(0, true);
    r.setSeriesPaint(1, LOSS);
    r.setSeriesLinesVisible(1, false);
    r.setSeriesShapesVisible(1, true);
    r.setSeriesShape(1, new java.awt.geom.Ellipse2D.Double(-6, -6, 12, 12));
    plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    return svg(chart, 640, 300);
  }

  private static String svg(JFreeChart chart, int width, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof CategoryPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    chart.draw(g2, new Rectangle(0, 0, width, height));
    String doc = g2.getSVGDocument();
    return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(doc.getBytes(StandardCharsets.UTF_8));
  }
}
