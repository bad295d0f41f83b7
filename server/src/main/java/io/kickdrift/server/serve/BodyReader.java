package io.kickdrift.server.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body (JSON, or a console form) without ever blocking a thread: at most {@code
 * limit} bytes (413 beyond, refused up front when the Content-Length says so), within a deadline
 * (408 after it, however slowly the client drips), decoded as strict UTF-8 (400 at the first bad
 * byte). A body cut short, or chunked badly, is a 400 too. The result completes exactly once, with
 * the text or a {@link ClientError}.
 */
final class BodyReader implements Runnable {
  private static final String FORM = "application/x-www-form-urlencoded";
  private final Request request;
  private final int limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> done = new CompletableFuture<>();

  private BodyReader(Request request, int limit) {
    this.request = request;
    this.limit = limit;
  }

  /**
   * The body of {@code request} as text; its Content-Type must be the one {@code kind} names
   * ({@code application/json}, or {@code application/x-www-form-urlencoded} for a form), else 415.
   */
  static CompletableFuture<String> read(
      Request request, Route.Body kind, int limit, Duration deadline, Scheduler scheduler) {
    List<String> types = request.getHeaders().getValuesList(HttpHeader.CONTENT_TYPE);
    String wanted = kind == Route.Body.FORM ? FORM : "application/json";
    if (types.size() != 1 || !is(wanted, types.get(0))) {
      return CompletableFuture.failedFuture(
          new ClientError(415, "send the body as Content-Type: " + wanted));
    }
    if (request.getLength() > limit) {
      return CompletableFuture.failedFuture(tooLarge(limit));
    }
    BodyReader reader = new BodyReader(request, limit);
    Scheduler.Task timer =
        scheduler.schedule(
            () ->
                reader.fail(
                    new ClientError(
                        408, "request body not received within " + deadline.toMillis() + " ms")),
            deadline.toMillis(),
            TimeUnit.MILLISECONDS);
    reader.done.whenComplete((b, e) -> timer.cancel());
    reader.run();
    return reader.done.thenCompose(BodyReader::decode);
  }

  /** {@code application/json}, with no charset or UTF-8 (RFC 8259 knows no other). */
  static boolean isJson(String contentType) {
    return is("application/json", contentType);
  }

  /** Media type {@code type}, with no charset or UTF-8 (the only one the body is decoded as). */
  private static boolean is(String type, String contentType) {
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
    if (!parts[0].strip().equals(type)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip().replace("\"", "");
      if (param.startsWith("charset=") && !param.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Ends the read with {@code error}, never while {@link #run} reads: once the body's future is
   * done, the request's content is Jetty's to consume, and two threads reading one request would
   * release one chunk twice.
   */
  private synchronized void fail(ClientError error) {
    done.completeExceptionally(error);
  }

  @Override
  public synchronized void run() {
    while (!done.isDone()) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        done.completeExceptionally(
            chunk.getFailure() instanceof TimeoutException
                ? new ClientError(408, "request body: the client went quiet")
                : new ClientError(400, "request body incomplete or badly framed"));
        return;
      }
      ByteBuffer buffer = chunk.getByteBuffer();
      boolean last = chunk.isLast();
      if (bytes.size() + buffer.remaining() > limit) {
        chunk.release();
        done.completeExceptionally(tooLarge(limit));
        return;
      }
      byte[] part = new byte[buffer.remaining()];
      buffer.get(part);
      chunk.release();
      bytes.write(part, 0, part.length);
      if (last) {
        done.complete(bytes.toByteArray());
      }
    }
  }

  private static ClientError tooLarge(int limit) {
    return new ClientError(413, "request body larger than " + limit + " bytes");
  }

  private static CompletableFuture<String> decode(byte[] body) {
    try {
      return CompletableFuture.completedFuture(ClientError.utf8(body, "request body"));
    } catch (ClientError e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
