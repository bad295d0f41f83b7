package io.kickdrift.server.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Logback, configured in code once a command's options are parsed (no configuration file is looked
 * for: {@link Quiet} answers first). Until then, and in commands that do not log, nothing is
 * written.
 *
 * <pre>{@code
 * Logs.configure(LogFormat.JSON, Level.INFO, Map.of(Component.TFTP, Level.DEBUG), System.out);
 * }</pre>
 */
public final class Logs {
  private Logs() {}

  /** The appender of the last {@link #configure}. */
  private static volatile LineAppender lines;

  /** Waits until every line logged so far is written to the stream (at most 10 s). */
  public static void flush() {
    LineAppender l = lines;
    if (l != null) {
      l.flush();
    }
  }

  /**
   * Sends every event at or above its logger's level to {@code out}, one line each. Components
   * without a level of their own take {@code root}, except the libraries, which stay off.
   */
  public static void configure(
      LogFormat format, Level root, Map<Component, Level> levels, PrintStream out) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    LineAppender appender = new LineAppender(out, format);
    lines = appender;
    LogFields.keep(format == LogFormat.JSON);
    appender.setContext(context);
    appender.setName("lines");
    appender.start();
    Logger top = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    top.setLevel(root);
    top.addAppender(appender);
    for (Component c : Component.values()) {
      Level level = levels.getOrDefault(c, c.library() ? Level.OFF : null);
      context.getLogger(c.logger()).setLevel(level);
    }
  }

  /** A level by its name ({@code debug}, {@code INFO}, {@code off}, …), or an error naming it. */
  public static Level level(String word) {
    String w = word.strip().toUpperCase(Locale.ROOT);
    return switch (w) {
      case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF" -> Level.toLevel(w);
      default ->
          throw new IllegalArgumentException(
              "log level " + word + ": expected trace, debug, info, warn, error or off");
    };
  }
}
