package dev.newsrec.app;

import dev.newsrec.core.run.MetricsLog;

import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.MetricsResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG plots of a run report, drawn with XChart into memory (no window, no display needed):
 * training loss per step and dev metrics per epoch.
 */
final class Plots {
  static {
    // Before any AWT class loads: plots are drawn on servers and in CI, where there is no display.
    Headless.ensure();
  }

  static final int WIDTH = 800;
  static final int HEIGHT = 450;

  private Plots() {}

  /** Loss and smoothed loss against the optimiser step. */
  static void loss(List<MetricsLog.Step> steps, Path png) {
    XYChart chart = chart("Training loss", "step", "NCE loss");
    addSeries(chart, "loss", steps, s -> s.loss(), false);
    addSeries(chart, "smoothed loss", steps, s -> s.smoothedLoss(), false);
    save(chart, png);
  }

  /**
   * Dev AUC, MRR, nDCG@5 and nDCG@10 (x100) after each epoch; the final evaluation, when there is
   * one, is the last point at {@code finalEpoch} and its value is named in the legend.
   */
  static void metrics(List<MetricsLog.Epoch> epochs, MetricsResult finalDev, int finalEpoch, Path png) {
    XYChart chart = chart("Dev metrics per epoch", "epoch", "dev metric x100");
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    String[] names = {"AUC", "MRR", "nDCG@5", "nDCG@10"};
    List<ToDoubleFunction<MetricsResult>> fs = List.of(MetricsResult::auc, MetricsResult::mrr,
        MetricsResult::ndcg5, MetricsResult::ndcg10);
    for (int k = 0; k < names.length; k++) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (MetricsLog.Epoch e : epochs) point(x, y, e.epoch(), 100 * fs.get(k).applyAsDouble(e.metrics()));
      String name = names[k];
      if (finalDev != null) {
        double v = 100 * fs.get(k).applyAsDouble(finalDev);
        point(x, y, finalEpoch, v);
        name += String.format(Locale.ROOT, " (final %.2f)", v);
      }
      if (!x.isEmpty()) chart.addSeries(name, x, y);
    }
    save(chart, png);
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(6);
    return chart;
  }

  private static void addSeries(XYChart chart, String name, List<MetricsLog.Step> steps,
      ToDoubleFunction<MetricsLog.Step> value, boolean markers) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (MetricsLog.Step s : steps) point(x, y, s.step(), value.applyAsDouble(s));
    if (x.isEmpty()) return;
    XYSeries series = chart.addSeries(name, x, y);
    if (!markers) series.setMarker(SeriesMarkers.NONE);
  }

  /** Adds (x, y) unless y is missing (NaN: a diverged loss is written as null). */
  private static void point(List<Double> x, List<Double> y, double xv, double yv) {
    if (!Double.isFinite(yv)) return;
    x.add(xv);
    y.add(yv);
  }

  private static void save(XYChart chart, Path png) {
    AtomicFiles.writeBytes(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
