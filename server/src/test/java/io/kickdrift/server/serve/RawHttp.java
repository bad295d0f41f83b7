package io.kickdrift.server.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a plain socket, for what curl will not send: broken framing, a body
 * dripped a byte at a time, a half-close mid-body. The sender writes whatever it likes; then the
 * answer is read until its Content-Length is complete, the server closes, or {@code timeout} passes
 * without a byte.
 */
final class RawHttp {
  /** The server closed (or reset) the connection without a status line. */
  static final int CLOSED = -1;

  /** Nothing came back within the timeout: the server is holding the connection. */
  static final int TIMED_OUT = -2;

  /** The client closed the connection without reading (fire and forget). */
  static final int NOT_READ = -3;

  /** What came back: a status (or one of the negative codes above), the text, the time taken. */
  record Outcome(int status, String text, Duration took) {}

  /** Writes a request, in one go or in pieces; may half-close or close the socket. */
  @FunctionalInterface
  interface Sender {
    /** Returns false when the socket is not to be read (the client went away). */
    boolean send(Socket socket, OutputStream out) throws IOException, InterruptedException;
  }

  private RawHttp() {}

  static Outcome exchange(InetSocketAddress at, Sender sender, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int status;
    try (Socket socket = new Socket()) {
      socket.connect(at, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      boolean read = true;
      try {
        read = sender.send(socket, socket.getOutputStream());
      } catch (IOException e) {
        // the server answered and closed before the whole request was written: read the answer
      }
      status = read ? readAnswer(socket.getInputStream(), got) : NOT_READ;
    } catch (SocketTimeoutException e) {
      status = TIMED_OUT;
    } catch (IOException e) {
      status = CLOSED;
    }
    return new Outcome(
        status,
        got.toString(StandardCharsets.ISO_8859_1),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Reads one response; its status, or {@link #CLOSED} when there was none. */
  private static int readAnswer(InputStream in, ByteArrayOutputStream got) throws IOException {
    byte[] buffer = new byte[8192];
    int headEnd = -1;
    long length = -1;
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        n = -1; // reset: what arrived before it is the answer
      }
      if (n < 0) {
        break;
      }
      got.write(buffer, 0, n);
      String text = got.toString(StandardCharsets.ISO_8859_1);
      if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
        length = contentLength(text.substring(0, headEnd));
      }
      if (headEnd >= 0 && length >= 0 && got.size() >= headEnd + 4 + length) {
        break;
      }
    }
    String text = got.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
      return CLOSED;
    }
    return Integer.parseInt(text.substring(9, 12));
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring("content-length:".length()).strip());
      }
    }
    return 0;
  }
}
