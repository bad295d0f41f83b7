package io.kickdrift.server.cli;

import java.util.function.Consumer;

/**
 * SIGHUP ({@code systemctl reload}: {@code ExecReload=kill -HUP $MAINPID}) runs an action, such as
 * serve's re-read of the inventory, instead of ending the JVM. Through {@code sun.misc.Signal},
 * which some JVMs lack or refuse (HUP ignored by {@code nohup}): then it says so and SIGHUP keeps
 * the JVM's default.
 */
final class Hangup {
  private Hangup() {}

  static void onSignal(Runnable action, Consumer<String> log) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          signal -> {
            // on the JVM's signal thread: a reload takes its time there, requests go on meanwhile
            try {
              action.run();
            } catch (RuntimeException e) {
              log.accept("SIGHUP: " + e);
            }
          });
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log.accept(
          "SIGHUP not handled here (" + e.getMessage() + "); reload with POST /api/v1/reload");
    }
  }
}
