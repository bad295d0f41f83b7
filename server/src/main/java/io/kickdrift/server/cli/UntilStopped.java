package io.kickdrift.server.cli;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** Keeps a server command running until the JVM is told to stop (SIGTERM, Ctrl-C), then closes. */
final class UntilStopped {
  private UntilStopped() {}

  /** Blocks until a signal has stopped the JVM's normal run and {@code close} has finished. */
  static void await(Runnable close, Consumer<String> log) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              log.accept("stopping (signal)");
              close.run();
              log.accept("stopped");
              stopped.countDown();
            },
            "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close.run();
    }
  }
}
