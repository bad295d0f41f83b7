package io.kickdrift.server.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Regular files under a root directory, confined to it. One leading {@code /} is stripped (many PXE
 * ROMs send {@code /pxelinux.0}); after that, absolute paths, {@code ..} segments, backslashes and
 * NUL are refused, and so is any path whose real path (symlinks resolved) leaves the root's real
 * path. The root itself may be a symlink swapped atomically: its real path is resolved per request.
 */
public final class RootSource implements TftpSource {
  private final Path root;

  public RootSource(Path root) {
    this.root = root.toAbsolutePath();
  }

  @Override
  public Optional<TftpContent> open(String path, InetSocketAddress client) throws IOException {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    if (relative.startsWith("/")) {
      throw new TftpRefusedException("absolute path");
    }
    if (relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0) {
      throw new TftpRefusedException("backslash or NUL in the path");
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.equals("..")) {
        throw new TftpRefusedException("outside the served root");
      }
    }
    Path realRoot = root.toRealPath();
    Path file;
    try {
      file = realRoot.resolve(relative).normalize();
    } catch (InvalidPathException e) {
      throw new TftpRefusedException("not a valid path");
    }
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!real.startsWith(realRoot)) {
      throw new TftpRefusedException("outside the served root");
    }
    if (!Files.isRegularFile(real)) {
      return Optional.empty();
    }
    FileChannel channel = FileChannel.open(real, StandardOpenOption.READ);
    return Optional.of(new FileContent(channel, channel.size()));
  }

  private record FileContent(FileChannel channel, long size) implements TftpContent {
    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
      return channel.read(dst, position);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
