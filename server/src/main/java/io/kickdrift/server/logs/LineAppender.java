package io.kickdrift.server.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each event as one line to a stream: for people, {@code TIME message} as serve always wrote
 * (levels other than INFO named after the time); for a collector, one JSON object per line with
 * {@code time}, {@code level}, {@code component}, {@code logger}, {@code message}, and the
 * structured fields (MDC and SLF4J key-value pairs: {@code peer}, {@code path}, {@code host}, …).
 * The lines are written by a {@link LineWriter}, many to a write under load; formatting takes no
 * lock (Logback's {@code AppenderBase} would hold one per event across the request threads).
 */
final class LineAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();

  private final PrintStream out;
  private final LogFormat format;
  private volatile LineWriter writer;

  LineAppender(PrintStream out, LogFormat format) {
    this.out = out;
    this.format = format;
  }

  @Override
  public void start() {
    writer = LineWriter.start(out, "log lines");
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    if (writer != null) {
      writer.close();
    }
  }

  @Override
  protected void append(ILoggingEvent e) {
    writer.line(format == LogFormat.JSON ? json(e) : human(e));
  }

  /** Waits until the lines appended so far are written (tests; the writer's close does it too). */
  void flush() {
    writer.flush();
  }

  static String human(ILoggingEvent e) {
    StringBuilder b = new StringBuilder();
    b.append(time(e)).append(' ');
    if (e.getLevel() != ch.qos.logback.classic.Level.INFO) {
      b.append(e.getLevel()).append(' ');
    }
    b.append(e.getFormattedMessage());
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      b.append(": ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return b.toString();
  }

  static String json(ILoggingEvent e) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("time", time(e));
      g.writeStringField("level", e.getLevel().toString());
      g.writeStringField(
          "component",
          Component.of(e.getLoggerName()).map(Component::word).orElse(e.getLoggerName()));
      g.writeStringField("logger", e.getLoggerName());
      g.writeStringField("message", e.getFormattedMessage());
      Map<String, String> mdc = e.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> f : mdc.entrySet()) {
          g.writeStringField(f.getKey(), f.getValue());
        }
      }
      if (e.getKeyValuePairs() != null) {
        for (KeyValuePair kv : e.getKeyValuePairs()) {
          g.writeStringField(kv.key, String.valueOf(kv.value));
        }
      }
      IThrowableProxy t = e.getThrowableProxy();
      if (t != null) {
        g.writeStringField("error", t.getClassName() + ": " + t.getMessage());
      }
      g.writeEndObject();
    } catch (IOException x) {
      throw new UncheckedIOException(x); // a StringWriter does not fail
    }
    return w.toString();
  }

  private static String time(ILoggingEvent e) {
    return time(e.getTimeStamp());
  }

  /** The second last formatted, and its text without the 'Z': most lines share it. */
  private record Second(long epochSecond, String text) {}

  private static volatile Second last = new Second(Long.MIN_VALUE, "");

  /**
   * {@code Instant.ofEpochMilli(millis).toString()} (ISO-8601 in UTC, the milliseconds only when
   * not zero), with the date and time of day formatted once a second rather than once a line.
   */
  static String time(long millis) {
    long second = Math.floorDiv(millis, 1000);
    int ms = (int) Math.floorMod(millis, 1000);
    Second s = last;
    if (s.epochSecond() != second) {
      String whole = Instant.ofEpochSecond(second).toString();
      s = new Second(second, whole.substring(0, whole.length() - 1));
      last = s;
    }
    if (ms == 0) {
      return s.text() + "Z";
    }
    StringBuilder b = new StringBuilder(s.text().length() + 5).append(s.text()).append('.');
    if (ms < 100) {
      b.append('0');
    }
    if (ms < 10) {
      b.append('0');
    }
    return b.append(ms).append('Z').toString();
  }
}
