package io.kickdrift.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 mirror on 127.0.0.1 for tests: serves files from memory (GET and HEAD), answers
 * {@code Range: bytes=N-} with 206 unless told not to, can drop the connection halfway through a
 * file once, and records every request it saw.
 */
final class MirrorServer implements AutoCloseable {
  /** One request as the server saw it. */
  record Request(String method, String path, String range) {}

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ServerSocket socket;
  private final Thread thread;
  volatile boolean ranges = true;

  /** A path whose next GET sends its headers and half its bytes, then closes the connection. */
  volatile String dropHalfway;

  MirrorServer() throws IOException {
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::accept, "mirror-server");
    thread.setDaemon(true);
    thread.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/" + path;
  }

  private void accept() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        handle(s);
      } catch (IOException e) {
        // a client that went away, or the server closing
      }
    }
  }

  private void handle(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    String first = in.readLine();
    if (first == null) {
      return;
    }
    String range = null;
    for (String h; (h = in.readLine()) != null && !h.isEmpty(); ) {
      if (h.regionMatches(true, 0, "Range:", 0, 6)) {
        range = h.substring(6).strip();
      }
    }
    String[] parts = first.split(" ");
    String method = parts[0];
    String path = parts[1].substring(1);
    requests.add(new Request(method, path, range));
    OutputStream out = s.getOutputStream();
    byte[] body = files.get(path);
    if (body == null) {
      write(out, "404 Not Found", "Content-Length: 0\r\n", new byte[0], method);
      return;
    }
    Matcher m = range == null ? null : RANGE.matcher(range);
    if (ranges && m != null && m.matches()) {
      int from = (int) Math.min(Long.parseLong(m.group(1)), Integer.MAX_VALUE);
      if (from >= body.length) {
        write(
            out,
            "416 Range Not Satisfiable",
            "Content-Range: bytes */" + body.length + "\r\n" + "Content-Length: 0\r\n",
            new byte[0],
            method);
        return;
      }
      byte[] rest = java.util.Arrays.copyOfRange(body, from, body.length);
      String headers =
          "Content-Range: bytes "
              + from
              + "-"
              + (body.length - 1)
              + "/"
              + body.length
              + "\r\n"
              + "Content-Length: "
              + rest.length
              + "\r\n";
      write(out, "206 Partial Content", headers, rest, method);
      return;
    }
    String headers = "Content-Length: " + body.length + "\r\n";
    if (method.equals("GET") && path.equals(dropHalfway)) {
      dropHalfway = null;
      out.write(
          ("HTTP/1.1 200 OK\r\n" + headers + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, 0, body.length / 2);
      out.flush();
      s.setSoLinger(true, 0); // a reset, as a broken link would look
      return;
    }
    write(out, "200 OK", headers, body, method);
  }

  private static void write(
      OutputStream out, String status, String headers, byte[] body, String method)
      throws IOException {
    out.write(
        ("HTTP/1.1 " + status + "\r\n" + headers + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    if (!method.equals("HEAD")) {
      out.write(body);
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
