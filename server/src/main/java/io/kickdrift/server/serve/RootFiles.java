package io.kickdrift.server.serve;

import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.guard.PathRefusedException;
import io.kickdrift.server.guard.ServedRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.content.ResourceHttpContent;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Files under the served root over HTTP: {@link ServedRoot} decides which file a path names (the
 * rule TFTP uses), then Jetty's {@link ResourceService} sends exactly that real path, with Range,
 * ETag, conditional requests and HEAD. Nothing here resolves a path on its own.
 */
final class RootFiles {
  private final ServedRoot root;
  private final Consumer<String> log;
  private final ResourceService files = new ResourceService();

  RootFiles(Path root, Consumer<String> log) {
    this.root = new ServedRoot(root);
    this.log = log;
    files.setAcceptRanges(true);
    files.setEtags(true);
    files.setDirAllowed(false);
  }

  /**
   * The file {@code path} names: a {@link Reply.File}, 404 when there is none, 403 when the path or
   * the file it leads to leaves the root (as TFTP answers ERROR 2; whether a file exists outside is
   * never told, since {@link ServedRoot} refuses absent targets behind outside links too). A
   * refusal is logged, with the path as {@link LogText} shows client text.
   *
   * @throws IOException when the root itself cannot be resolved
   */
  Reply lookup(String path, String from) throws IOException {
    try {
      return root.file(path)
          .<Reply>map(Reply.File::new)
          .orElseGet(() -> Reply.text(404, "not found"));
    } catch (PathRefusedException e) {
      log.accept("http refused " + LogText.of(path) + " from " + from + ": " + e.getMessage());
      return Reply.text(403, "refused: " + e.getMessage());
    }
  }

  /** Sends the file at {@code real}, a path {@link #lookup} returned. */
  void send(Request request, Response response, Callback callback, Path real) {
    String type = MimeTypes.DEFAULTS.getMimeByExtension(real.getFileName().toString());
    files.doGet(
        request,
        response,
        callback,
        new ResourceHttpContent(ResourceFactory.root().newResource(real), type));
  }
}
