package io.kickdrift.server.logs;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to a stream from one thread of its own: a request thread only puts its line on a
 * queue (no lock, no system call), and the writer writes what gathered, then flushes, so under load
 * one wake-up, one write and one flush carry many lines (the access log cost a write to stdout per
 * request, and a lock shared by the request threads cost more). A line waits at most {@link
 * #LINGER_NANOS} for the lines after it. Each thread's lines keep their order. A thread that finds
 * more than {@link #MAX_CHARS} waiting waits for the writer: the log is never dropped, nor allowed
 * to grow without bound. {@link #close} writes what is left; so does the JVM's shutdown, unless it
 * is killed (then at most the lines of the last moment are lost).
 *
 * <pre>{@code
 * LineWriter w = LineWriter.start(System.out, "log lines");
 * w.line("2026-12-06T03:23:18.172Z http listening on 127.0.0.1:8080");
 * w.close();
 * }</pre>
 */
final class LineWriter implements AutoCloseable {
  /**
   * How long the writer lets lines gather after the first of a batch: under load one wake-up and
   * one write carry the lines of this long; at rest a line waits this long.
   */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** The most characters waiting before appending threads wait. */
  static final int MAX_CHARS = 1 << 20;

  private final PrintStream out;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedChars = new AtomicLong();
  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean sleeping;
  private final Thread thread;
  private final Thread atExit;

  private LineWriter(PrintStream out, String name) {
    this.out = out;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    this.atExit = new Thread(this::close, name + " at exit");
  }

  /** A writer to {@code out}, its thread started and its last lines written at the JVM's exit. */
  static LineWriter start(PrintStream out, String name) {
    LineWriter w = new LineWriter(out, name);
    w.thread.start();
    Runtime.getRuntime().addShutdownHook(w.atExit);
    return w;
  }

  /** Queues {@code line}, a line break added; written soon, after the lines queued before it. */
  void line(String line) {
    while (queuedChars.get() > MAX_CHARS && !closed) {
      LockSupport.parkNanos(100_000);
    }
    queuedChars.addAndGet(line.length() + 1);
    queue.offer(line);
    appended.incrementAndGet();
    if (closed) { // the writer may be gone: written here
      drain();
    } else if (sleeping) { // read after the offer: the writer sets it before it looks again
      LockSupport.unpark(thread);
    }
  }

  /** Waits until every line queued before this call is written and flushed, at most 10 s. */
  void flush() {
    long target = appended.get();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (written.get() < target && System.nanoTime() < until) {
      if (closed) {
        drain();
        return;
      }
      LockSupport.parkNanos(200_000);
    }
  }

  private void run() {
    while (true) {
      if (queue.isEmpty()) {
        if (closed) {
          return;
        }
        sleeping = true;
        if (queue.isEmpty() && !closed) { // looked at again after saying so: no wake-up lost
          LockSupport.park(this);
        }
        sleeping = false;
        continue;
      }
      if (!closed) { // the lines of the next moments join this write
        LockSupport.parkNanos(LINGER_NANOS);
      }
      drain();
    }
  }

  /** Writes and flushes every queued line. */
  private void drain() {
    StringBuilder batch = new StringBuilder(8192);
    long lines = 0;
    synchronized (out) {
      for (String s = queue.poll(); s != null; s = queue.poll()) {
        batch.append(s).append('\n');
        lines++;
      }
      if (lines > 0) {
        out.append(batch);
        out.flush();
      }
    }
    queuedChars.addAndGet(-batch.length());
    written.addAndGet(lines);
  }

  /** Writes what is queued and stops the thread; later lines are written by their callers. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() != atExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(atExit);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: its hook runs this too
      }
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
  }
}
