package io.kickdrift.server.cli;

import io.kickdrift.server.fleet.FleetScan;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a fleet scan shows while it runs, on stderr: on a terminal one bar line redrawn in place
 * (hosts done, failed, and what the running ones do), with each failure printed above it; otherwise
 * one plain line per host as it finishes, for logs.
 */
final class FleetProgress implements FleetScan.Listener {
  private final PrintStream err;
  private final boolean terminal;
  private final int total;
  private final StatusLine bar;
  private final Map<String, String> running = new LinkedHashMap<>();
  private int done;
  private int failed;

  FleetProgress(PrintStream err, boolean terminal, int total) {
    this.err = err;
    this.terminal = terminal;
    this.total = total;
    this.bar = new StatusLine(err);
    if (terminal) {
      draw();
    }
  }

  @Override
  public synchronized void step(String host, String step) {
    running.put(host, step);
    if (terminal) {
      draw();
    }
  }

  @Override
  public synchronized void finished(FleetScan.HostResult r) {
    running.remove(r.host());
    done++;
    if (r.failed()) {
      failed++;
    }
    String line = line(r);
    if (terminal) {
      bar.clear();
      if (r.failed()) {
        err.println(line);
      }
      draw();
    } else {
      err.println(line);
    }
    for (String w : r.warnings()) {
      err.println(r.host() + ": warning: " + w);
    }
    if (terminal) {
      draw();
    }
    err.flush();
  }

  static String line(FleetScan.HostResult r) {
    String took = String.format(Locale.ROOT, "%.1f s", r.millis() / 1000.0);
    if (r.failed()) {
      return "FAILED " + r.error() + " (" + took + ")";
    }
    return r.host()
        + ": "
        + r.way()
        + ", "
        + r.findings()
        + (r.findings() == 1 ? " finding, " : " findings, ")
        + took
        + ": "
        + (r.commit() == null ? r.summary() : r.commit().substring(0, 12) + " " + r.summary());
  }

  synchronized void done() {
    if (terminal) {
      bar.clear();
      err.flush();
    }
  }

  private void draw() {
    int filled = total == 0 ? StatusLine.WIDTH : done * StatusLine.WIDTH / total;
    StringBuilder b = new StringBuilder();
    b.append(done).append('/').append(total).append(" hosts");
    if (failed > 0) {
      b.append(", ").append(failed).append(" failed");
    }
    if (!running.isEmpty()) {
      Map.Entry<String, String> first = running.entrySet().iterator().next();
      b.append(", ").append(running.size()).append(" running: ");
      b.append(first.getKey()).append(' ').append(first.getValue());
    }
    bar.draw(filled, b.toString());
  }
}
