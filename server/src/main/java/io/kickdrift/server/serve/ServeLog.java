package io.kickdrift.server.serve;

import java.io.PrintStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/** serve's log: one line per event, UTC timestamp first, to one stream, lines never interleaved. */
public final class ServeLog implements Consumer<String> {
  private final PrintStream out;
  private final Clock clock;

  public ServeLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void accept(String line) {
    String stamped = clock.instant().truncatedTo(ChronoUnit.MILLIS) + " " + line;
    synchronized (out) {
      out.println(stamped);
    }
  }
}
