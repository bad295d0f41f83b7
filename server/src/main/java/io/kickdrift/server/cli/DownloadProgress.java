package io.kickdrift.server.cli;

import io.kickdrift.server.distros.Progress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What an import shows while it fetches, on stderr, in the manner of {@link FleetProgress}: on a
 * terminal one bar line redrawn in place (bytes so far, size, rate); otherwise one plain line per
 * file when it is done, for logs.
 */
final class DownloadProgress implements Progress {
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final boolean terminal;
  private final LongSupplier nanos;
  private final StatusLine bar;
  private String name = "";
  private long total;
  private long resumedAt;
  private long bytes;
  private long startedAt;
  private long drawnAt;

  DownloadProgress(PrintStream err, boolean terminal, LongSupplier nanos) {
    this.err = err;
    this.terminal = terminal;
    this.nanos = nanos;
    this.bar = new StatusLine(err);
  }

  @Override
  public void started(String location, long total, long resumedAt) {
    this.name = location.substring(location.lastIndexOf('/') + 1);
    this.total = total;
    this.resumedAt = resumedAt;
    this.bytes = resumedAt;
    this.startedAt = nanos.getAsLong();
    if (terminal) {
      draw();
    } else if (resumedAt > 0) {
      err.println(location + ": resuming at " + size(resumedAt));
    }
  }

  @Override
  public void advanced(long n) {
    bytes += n;
    if (terminal && nanos.getAsLong() - drawnAt >= REDRAW_NANOS) {
      draw();
    }
  }

  @Override
  public void finished() {
    if (terminal) {
      bar.clear();
    }
    err.println(line());
    err.flush();
  }

  /** The summary of one file: {@code vmlinuz: 8.2 MB in 0.3 s (27.4 MB/s)}. */
  String line() {
    double seconds = (nanos.getAsLong() - startedAt) / 1e9;
    String s = name + ": " + size(bytes);
    if (total >= 0 && bytes != total) {
      s += " of " + size(total);
    }
    s += String.format(Locale.ROOT, " in %.1f s (%s/s)", seconds, size(rate(seconds)));
    return resumedAt > 0 ? s + ", resumed at " + size(resumedAt) : s;
  }

  private long rate(double seconds) {
    return seconds <= 0 ? 0 : (long) ((bytes - resumedAt) / seconds);
  }

  private void draw() {
    drawnAt = nanos.getAsLong();
    double seconds = (drawnAt - startedAt) / 1e9;
    int filled =
        total <= 0 ? 0 : (int) Math.min(StatusLine.WIDTH, bytes * StatusLine.WIDTH / total);
    StringBuilder b = new StringBuilder();
    b.append(name).append(' ').append(size(bytes));
    if (total >= 0) {
      b.append(" / ").append(size(total));
    }
    b.append(", ").append(size(rate(seconds))).append("/s");
    bar.draw(filled, b.toString());
  }

  /** Bytes as people read them: {@code 512 B}, {@code 8.2 MB}. */
  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
