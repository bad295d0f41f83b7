package io.kickdrift.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * serve's meters, in Prometheus text at {@code GET /metrics}. Labels are few-valued words (an
 * outcome, a message type, a route pattern, a phase), never a host name, MAC or path, so the number
 * of series stays fixed however large the fleet. docs/operate.md lists every meter.
 *
 * <pre>{@code
 * ServeMetrics metrics = ServeMetrics.prometheus();
 * metrics.http("/ks/{host}/{token}", "GET", 200, nanos);
 * String text = metrics.scrape();
 * }</pre>
 */
public final class ServeMetrics {
  /** Buckets of the latency histograms: 1 ms to 10 s, a few a decade. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(1000),
    Duration.ofMillis(2500),
    Duration.ofSeconds(10)
  };

  /** Methods kept as a label value; any other (a client may send any token) is "other". */
  private static final java.util.Set<String> METHODS =
      java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;

  private ServeMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
  }

  /** Meters kept for a Prometheus scrape. */
  public static ServeMetrics prometheus() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new ServeMetrics(r, r);
  }

  /** Meters that keep nothing: for servers started without metrics (tests, other commands). */
  public static ServeMetrics none() {
    return new ServeMetrics(new CompositeMeterRegistry(), null);
  }

  /** The Prometheus text format (version 0.0.4) of every meter now; empty for {@link #none}. */
  public String scrape() {
    return prometheus == null ? "" : prometheus.scrape();
  }

  /** The content type of {@link #scrape}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  /**
   * A counter read from {@code source} at each scrape (a server's own counters, kept anyway):
   * {@code kickdrift_NAME_total{label="value"}}.
   */
  public <T> void counted(
      String name, String label, String value, T source, ToDoubleFunction<T> read, String help) {
    FunctionCounter.builder(name, source, read)
        .tag(label, value)
        .description(help)
        .register(registry);
  }

  /** A value read from {@code source} at each scrape: {@code kickdrift_NAME}. */
  public <T> void gauged(String name, T source, ToDoubleFunction<T> read, String help) {
    io.micrometer.core.instrument.Gauge.builder(name, source, read)
        .description(help)
        .strongReference(true)
        .register(registry);
  }

  /** One TFTP transfer ended: {@code ok} (all blocks acknowledged) or not, bytes sent, time. */
  public void tftpTransfer(boolean ok, long bytes, long nanos) {
    String outcome = ok ? "completed" : "failed";
    if (ok) {
      Counter.builder("kickdrift.tftp.sent")
          .baseUnit("bytes")
          .description("File bytes of completed TFTP transfers")
          .register(registry)
          .increment(bytes);
    }
    timer("kickdrift.tftp.transfer.duration", "TFTP transfers from request to the last ACK")
        .tag("outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One DHCP packet handled: its message type ({@code discover}, …) and what came of it. */
  public void dhcpPacket(String type, String outcome) {
    Counter.builder("kickdrift.dhcp.packets")
        .description("DHCP packets received, by message type and outcome")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** One HTTP request answered: the route pattern that took it (or {@code none}), its status. */
  public void http(String route, String method, int status, long nanos) {
    String m = METHODS.contains(method) ? method : "other";
    // found by its tags without a builder: this runs for every request (a few dozen timers)
    httpTimers
        .computeIfAbsent(
            new HttpKey(route, m, status),
            k ->
                timer(
                        "kickdrift.http.requests",
                        "HTTP requests, by route pattern, method and status")
                    .tag("route", k.route())
                    .tag("method", k.method())
                    .tag("status", Integer.toString(k.status()))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private record HttpKey(String route, String method, int status) {}

  private final java.util.Map<HttpKey, Timer> httpTimers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A host's install phase changed ({@code install-pending} to {@code installed}, …). */
  public void transition(String from, String to) {
    Counter.builder("kickdrift.install.transitions")
        .description("Install lifecycle transitions, by phase before and after")
        .tag("from", from)
        .tag("to", to)
        .register(registry)
        .increment();
  }

  /** A scan ended: {@code kind} baseline or fleet, its outcome, how long it took. */
  public void scan(String kind, String outcome, long nanos) {
    timer("kickdrift.scan.duration", "Baseline and fleet scans, by kind and outcome")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One file rendered on request: {@code what} is kickstart or menu. */
  public void render(String what, long nanos) {
    timer("kickdrift.render.duration", "Kickstarts and boot menus rendered on request")
        .tag("what", what)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One DNS sync to the zones' primaries: ok, or failed. */
  public void dnsUpdate(String outcome, long nanos) {
    timer("kickdrift.dns.update.duration", "DNS syncs of the hosts' records, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** An inventory reload: ok, or failed (the old inventory kept). */
  public void reload(boolean ok) {
    Counter.builder("kickdrift.inventory.reloads")
        .description("Inventory reloads, by outcome")
        .tag("outcome", ok ? "ok" : "failed")
        .register(registry)
        .increment();
  }

  private static Timer.Builder timer(String name, String help) {
    return Timer.builder(name).description(help).serviceLevelObjectives(BUCKETS);
  }
}
