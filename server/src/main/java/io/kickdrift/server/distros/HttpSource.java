package io.kickdrift.server.distros;

import io.kickdrift.agent.cli.ErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * A tree on an HTTP(S) mirror. A partial file from an interrupted run is resumed with a {@code
 * Range} request; a server that answers 200 instead of 206 sends the whole file, which replaces it.
 */
final class HttpSource implements TreeSource {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final HttpClient client;

  HttpSource(URI base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  private URI uri(String path) {
    return base.resolve(path);
  }

  @Override
  public String location(String path) {
    return uri(path).toString();
  }

  @Override
  public Optional<String> readText(String path) throws IOException {
    HttpResponse<byte[]> r = send(get(path).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (missing(r.statusCode())) {
      return Optional.empty();
    }
    expect(r, 200);
    return Optional.of(new String(r.body(), StandardCharsets.UTF_8));
  }

  @Override
  public boolean exists(String path) throws IOException {
    HttpRequest head = get(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<Void> r = send(head, HttpResponse.BodyHandlers.discarding());
    if (missing(r.statusCode())) {
      return false;
    }
    expect(r, 200);
    return true;
  }

  @Override
  public void fetch(String path, Path part, Progress progress) throws IOException, ImportException {
    long have = Files.exists(part) ? Files.size(part) : 0;
    HttpRequest.Builder request = get(path);
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> r = send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      int code = r.statusCode();
      if (missing(code)) {
        throw new ImportException("not found: " + location(path) + " (HTTP " + code + ")");
      }
      if (code == 416) {
        // The part is complete or longer than the file: start over.
        Files.delete(part);
      } else if (code == 206 && resumesAt(r, have)) {
        long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        copy(body, part, total < 0 ? -1 : have + total, have, progress, location(path));
        return;
      } else if (code == 200) {
        long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        copy(body, part, total, 0, progress, location(path));
        return;
      } else {
        throw new IOException("GET " + location(path) + ": HTTP " + code);
      }
    }
    fetch(path, part, progress);
  }

  /** Whether a 206 answer continues at {@code have}: {@code Content-Range: bytes HAVE-…}. */
  private static boolean resumesAt(HttpResponse<?> r, long have) throws IOException {
    String range = r.headers().firstValue("Content-Range").orElse("");
    if (!range.startsWith("bytes " + have + "-")) {
      throw new IOException(
          "GET "
              + r.uri()
              + ": asked for bytes "
              + have
              + "- but got Content-Range '"
              + range
              + "'");
    }
    return true;
  }

  private static void copy(
      InputStream body, Path part, long total, long resumedAt, Progress progress, String location)
      throws IOException {
    OpenOption[] options =
        resumedAt > 0
            ? new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
            : new OpenOption[] {
              StandardOpenOption.WRITE,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING
            };
    progress.started(location, total, resumedAt);
    try (FileChannel out = FileChannel.open(part, options)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = body.read(buffer)) > 0; ) {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
        while (b.hasRemaining()) {
          out.write(b);
        }
        progress.advanced(n);
      }
    } finally {
      progress.finished();
    }
    long size = Files.size(part);
    if (total >= 0 && size != total) {
      throw new IOException(
          "GET " + location + ": got " + size + " of " + total + " bytes; run again to resume");
    }
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET();
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return client.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(request.method() + " " + request.uri() + ": interrupted", e);
    } catch (IOException e) {
      throw new IOException(request.method() + " " + request.uri() + ": " + ErrorText.reason(e), e);
    }
  }

  private static boolean missing(int code) {
    return code == 404 || code == 410;
  }

  private static void expect(HttpResponse<?> r, int code) throws IOException {
    if (r.statusCode() != code) {
      throw new IOException(
          r.request().method() + " " + r.uri() + ": HTTP " + r.statusCode() + "; expected " + code);
    }
  }
}
