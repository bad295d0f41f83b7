package io.kickdrift.server.tftp;

import io.kickdrift.server.guard.PathRefusedException;
import io.kickdrift.server.guard.ServedRoot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Regular files under a root directory, confined to it by {@link ServedRoot} (the rule HTTP uses
 * too): a path that leaves the root, by {@code ..} or through a symlink, is refused with ERROR 2.
 */
public final class RootSource implements TftpSource {
  private final ServedRoot root;

  public RootSource(Path root) {
    this.root = new ServedRoot(root);
  }

  @Override
  public Optional<TftpContent> open(String path, InetSocketAddress client) throws IOException {
    Optional<Path> file;
    try {
      file = root.file(path);
    } catch (PathRefusedException e) {
      throw new TftpRefusedException(e.getMessage());
    }
    if (file.isEmpty()) {
      return Optional.empty();
    }
    FileChannel channel = FileChannel.open(file.get(), StandardOpenOption.READ);
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
