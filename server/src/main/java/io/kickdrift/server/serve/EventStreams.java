package io.kickdrift.server.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kickdrift.server.state.Event;
import io.kickdrift.server.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The live event log as server-sent events ({@code GET /api/v1/events/stream}), without a thread
 * per stream: each stream keeps its Jetty response and callback, and one thread polls the state
 * database for new events (other processes write it too: {@code kickdrift netboot}) and writes them
 * to every stream that wants them, with an {@code id:} line so a browser that reconnects resumes
 * from {@code Last-Event-ID}. A comment every {@code heartbeat} keeps proxies and the connection's
 * idle timer from closing a quiet stream, and tells a stream whose client left. A stream whose
 * write fails, or stays unfinished for {@code stall}, or falls more than {@code backlog} characters
 * behind, is dropped; beyond {@code max} streams a new one is a 503.
 *
 * <pre>{@code
 * EventStreams streams = new EventStreams(state, EventStreams.Settings.defaults(), log);
 * Reply reply = streams.open("web01.example.com", lastEventId); // a Reply.Stream, or a 503
 * }</pre>
 */
final class EventStreams implements AutoCloseable {
  /**
   * The bounds of the streams.
   *
   * @param max streams open at once (503 beyond)
   * @param poll how often the database is asked for new events while a stream is open
   * @param heartbeat how often a quiet stream gets a comment line
   * @param stall how long one write may take before its stream is dropped
   * @param backlog characters waiting for a slow stream before it is dropped
   */
  record Settings(int max, Duration poll, Duration heartbeat, Duration stall, int backlog) {
    /**
     * 1,000 streams (a few KiB of heap each, no thread); a poll every 500 ms, which is what "live"
     * means to a person watching an install; a heartbeat every 15 s, half the connections' idle
     * timeout; 30 s to finish a write; 256 KiB behind.
     */
    static Settings defaults() {
      return new Settings(
          1000, Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofSeconds(30), 256 * 1024);
    }
  }

  /** Events read per query; a poll reads pages until it has all. */
  private static final int PAGE = 500;

  /** Events a resuming stream is given at most: older ones it reads from the events API. */
  private static final int MAX_REPLAY = 5000;

  private static final byte[] OPENED = ": kickdrift events\n\n".getBytes(StandardCharsets.US_ASCII);

  private final StateStore state;
  private final Settings settings;
  private final Consumer<String> log;
  private final ScheduledExecutorService worker;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

  /** Streams admitted (counted before the worker registers them, so the bound holds). */
  private final AtomicInteger admitted = new AtomicInteger();

  /** The newest event id every open stream has been offered; the worker's alone. */
  private long cursor = -1;

  private ScheduledFuture<?> polling;
  private ScheduledFuture<?> beating;

  EventStreams(StateStore state, Settings settings, Consumer<String> log) {
    this.state = state;
    this.settings = settings;
    this.log = log;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "event-streams");
              t.setDaemon(true);
              return t;
            });
  }

  /** Streams open now. */
  int open() {
    return admitted.get();
  }

  /**
   * A stream of the events of {@code host} (all hosts when null) from now, or after {@code
   * lastEventId} when the client resumes (null: from now); a 503 when {@code max} streams are open.
   */
  Reply open(String host, Long lastEventId) {
    if (admitted.incrementAndGet() > settings.max()) {
      admitted.decrementAndGet();
      return Reply.text(503, "too many event streams open (" + settings.max() + "); retry later")
          .with("Retry-After", "5");
    }
    return new Reply.Stream(
        (request, response, callback) -> start(host, lastEventId, request, response, callback));
  }

  private void start(
      String host, Long lastEventId, Request request, Response response, Callback callback) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    // nginx and its kind buffer answers unless told: events would arrive in lumps
    response.getHeaders().put("X-Accel-Buffering", "no");
    Stream s = new Stream(host, response, callback);
    // the client's going away fails a pending write or the next heartbeat; this says it sooner
    request.addFailureListener(failure -> onWorker(() -> drop(s, failure)));
    if (!onWorker(() -> register(s, lastEventId))) {
      admitted.decrementAndGet();
      callback.failed(new java.io.EOFException("serve is stopping"));
    }
  }

  /** Runs {@code work} on the worker; false once it is stopped (serve is stopping). */
  private boolean onWorker(Runnable work) {
    try {
      worker.execute(work);
      return true;
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      return false;
    }
  }

  /** On the worker: the stream joins, after its backlog when it resumes. */
  private void register(Stream s, Long lastEventId) {
    if (s.closed) {
      return; // its client left before it joined
    }
    if (streams.isEmpty()) {
      cursor = newest();
      long period = settings.poll().toMillis();
      long beat = settings.heartbeat().toMillis();
      polling = worker.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
      beating = worker.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }
    streams.add(s);
    s.last = lastEventId == null ? cursor : lastEventId;
    s.queue.append(new String(OPENED, StandardCharsets.US_ASCII));
    if (lastEventId != null) {
      // the events it missed, up to where the others are; later ones come with the next poll
      for (int replayed = 0; replayed < MAX_REPLAY && s.last < cursor; ) {
        List<Event> missed = state.eventsAfter(s.host, s.last, PAGE);
        if (missed.isEmpty()) {
          break;
        }
        for (Event e : missed) {
          if (e.id() <= cursor) {
            offer(s, e);
            replayed++;
          }
        }
        if (missed.get(missed.size() - 1).id() >= cursor || missed.size() < PAGE) {
          break;
        }
      }
      s.last = Math.max(s.last, cursor);
    }
    flush(s);
  }

  private long newest() {
    List<Event> newest = state.eventsBefore(null, Long.MAX_VALUE, 1);
    return newest.isEmpty() ? 0 : newest.get(0).id();
  }

  /** On the worker: every event since the last poll, to each stream that wants it. */
  private void poll() {
    try {
      List<Event> page;
      do {
        page = state.eventsAfter(null, cursor, PAGE);
        for (Event e : page) {
          for (Stream s : streams) {
            offer(s, e);
          }
          cursor = e.id();
        }
      } while (page.size() == PAGE);
      streams.forEach(this::flush);
    } catch (RuntimeException e) {
      log.accept("event streams: reading new events failed: " + e);
    }
  }

  private void offer(Stream s, Event e) {
    if (e.id() <= s.last || (s.host != null && !s.host.equals(e.host()))) {
      return;
    }
    s.last = e.id();
    s.queue.append("id: ").append(e.id()).append("\ndata: ").append(json(e)).append("\n\n");
  }

  /** The event as one line of JSON ({@link Routes#eventJson}). */
  static String json(Event e) {
    try {
      // Jackson escapes line breaks inside strings: one data: line per event
      return Reply.JSON.writeValueAsString(Routes.eventJson(e));
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x); // a map of strings and a number always serialises
    }
  }

  private void heartbeat() {
    long now = System.nanoTime();
    for (Stream s : streams) {
      if (s.writingSince != 0 && now - s.writingSince > settings.stall().toNanos()) {
        drop(s, new TimeoutException("a write took over " + settings.stall().toSeconds() + " s"));
      } else if (s.queue.isEmpty()) {
        s.queue.append(": ping\n\n");
        flush(s);
      }
    }
  }

  /** On the worker: writes what waits for the stream, unless a write is still under way. */
  private void flush(Stream s) {
    if (s.closed || s.queue.isEmpty()) {
      return;
    }
    if (s.queue.length() > settings.backlog()) {
      drop(s, new TimeoutException("more than " + settings.backlog() + " characters behind"));
      return;
    }
    if (s.writingSince != 0) {
      return;
    }
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(s.queue.toString());
    s.queue.setLength(0);
    s.writingSince = Math.max(1, System.nanoTime());
    s.response.write(
        false,
        bytes,
        Callback.from(
            () -> onWorker(() -> written(s)), failure -> onWorker(() -> drop(s, failure))));
  }

  private void written(Stream s) {
    s.writingSince = 0;
    flush(s);
  }

  /**
   * On the worker: the stream is gone; its request ends (a failed callback closes the connection).
   */
  private void drop(Stream s, Throwable why) {
    if (s.closed) {
      return;
    }
    s.closed = true;
    streams.remove(s);
    admitted.decrementAndGet();
    if (streams.isEmpty() && polling != null) {
      polling.cancel(false);
      beating.cancel(false);
      polling = null;
      beating = null;
    }
    s.callback.failed(why);
  }

  /** Ends every stream and the worker. */
  @Override
  public void close() {
    try {
      worker
          .submit(
              () -> {
                for (Stream s : List.copyOf(streams)) {
                  drop(s, new java.io.EOFException("serve is stopping"));
                }
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // stopping anyway: the server's stop closes the connections
    }
    worker.shutdownNow();
  }

  /** One open stream; its fields are the worker's alone. */
  private static final class Stream {
    final String host;
    final Response response;
    final Callback callback;
    final StringBuilder queue = new StringBuilder();
    long last;

    /** When the write under way started ({@link System#nanoTime}), 0 when none is. */
    long writingSince;

    boolean closed;

    Stream(String host, Response response, Callback callback) {
      this.host = host;
      this.response = response;
      this.callback = callback;
    }
  }
}
