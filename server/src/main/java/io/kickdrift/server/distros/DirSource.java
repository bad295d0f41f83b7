package io.kickdrift.server.distros;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A tree in a directory, e.g. a mounted ISO. Copies always start afresh: a local copy is cheap. */
final class DirSource implements TreeSource {
  private final Path base;

  DirSource(Path base) {
    this.base = base.toAbsolutePath().normalize();
  }

  private Path file(String path) {
    return base.resolve(path).normalize();
  }

  @Override
  public String location(String path) {
    return file(path).toString();
  }

  @Override
  public Optional<String> readText(String path) throws IOException {
    Path f = file(path);
    return Files.isRegularFile(f)
        ? Optional.of(Files.readString(f, StandardCharsets.UTF_8))
        : Optional.empty();
  }

  @Override
  public boolean exists(String path) {
    return Files.isRegularFile(file(path));
  }

  @Override
  public void fetch(String path, Path part, Progress progress) throws IOException, ImportException {
    Path f = file(path);
    if (!Files.isRegularFile(f)) {
      throw new ImportException("not found: " + f);
    }
    progress.started(f.toString(), Files.size(f), 0);
    try (InputStream in = Files.newInputStream(f);
        OutputStream out = Files.newOutputStream(part)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        progress.advanced(n);
      }
    } finally {
      progress.finished();
    }
  }
}
