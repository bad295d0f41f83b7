package io.kickdrift.server.serve;

import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.tftp.RootSource;
import io.kickdrift.server.tftp.TftpContent;
import io.kickdrift.server.tftp.TftpSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/** What serve's TFTP server hands out: menus rendered now, else files under the served root. */
final class ServeTftpSource implements TftpSource {
  private final Provisioner provisioner;
  private final RootSource files;

  ServeTftpSource(Provisioner provisioner, Path root) {
    this.provisioner = provisioner;
    this.files = new RootSource(root);
  }

  @Override
  public Optional<TftpContent> open(String path, InetSocketAddress client) throws IOException {
    try {
      Optional<byte[]> menu =
          provisioner.menu(path, "tftp " + client.getAddress().getHostAddress());
      if (menu.isPresent()) {
        return Optional.of(TftpContent.of(menu.get()));
      }
    } catch (RenderException e) {
      throw new IOException("render failed for " + path + ": " + e.getMessage(), e);
    }
    return files.open(path, client);
  }

  /** A per-MAC menu of a machine the inventory lists: served from the reserve when TFTP is busy. */
  @Override
  public boolean priority(String path, InetSocketAddress client) {
    return provisioner.knowsMenu(path);
  }
}
