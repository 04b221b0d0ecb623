package dev.newsrec.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;

/** The server's Prometheus metrics, one registry per server (tests run several in one JVM). */
final class ServeMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram latency;

  ServeMetrics() {
    requests = Counter.builder().name("newsrec_http_requests_total")
        .help("HTTP requests answered, by route and status").labelNames("route", "status").register(registry);
    // Classic buckets from 0.5 ms to 10 s: the rank path's milliseconds and overload's seconds.
    latency = Histogram.builder().name("newsrec_http_request_duration_seconds")
        .help("Time from a request's arrival to its answer, by route").labelNames("route").classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
        .register(registry);
  }

  void observe(String route, int status, long nanos) {
    requests.labelValues(route, Integer.toString(status)).inc();
    latency.labelValues(route).observe(nanos / 1e9);
  }

  void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }

  void counter(String name, String help, DoubleSupplier value) {
    CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }

  String contentType() { return writer.getContentType(); }

  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
