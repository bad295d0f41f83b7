package io.kickdrift.server.serve;

import io.kickdrift.server.logs.Component;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * serve's log: each component's lines go to its own SLF4J logger ({@link Component}), at INFO, so
 * their levels are set one by one and Logback writes them as human or JSON lines. Tests may send
 * every component to one consumer instead ({@link #lines}).
 */
public final class ServeLog {
  private final Function<Component, Consumer<String>> to;

  private ServeLog(Function<Component, Consumer<String>> to) {
    this.to = to;
  }

  /** Each component to its SLF4J logger at INFO. */
  public static ServeLog slf4j() {
    return new ServeLog(c -> LoggerFactory.getLogger(c.logger())::info);
  }

  /** Every component's lines to {@code all}, as they are. */
  public static ServeLog lines(Consumer<String> all) {
    return new ServeLog(c -> all);
  }

  /** Where {@code component}'s lines go. */
  public Consumer<String> of(Component component) {
    return to.apply(component);
  }
}
