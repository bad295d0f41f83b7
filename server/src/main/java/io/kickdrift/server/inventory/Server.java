package io.kickdrift.server.inventory;

/**
 * Where machines reach the provisioning server: the address written into boot menus, kickstart URLs
 * and callbacks, its HTTP and TFTP ports, the boot programs DHCP hands out per client type, whether
 * clients already running iPXE get the iPXE script ({@code ipxeScript}, default true) or their
 * architecture's loader like any PXE client, and the SSH public key kickstarts authorize for later
 * drift scans. Absent fields take the defaults below; an absent address takes the first subnet's
 * next-server.
 */
public record Server(
    String address,
    int httpPort,
    int tftpPort,
    String biosLoader,
    String uefiLoader,
    String arm64Loader,
    Boolean ipxeScript,
    String scanKey) {
  public static final Server DEFAULT = new Server(null, 0, 0, null, null, null, null, null);

  public Server {
    if (httpPort == 0) {
      httpPort = 80;
    }
    if (tftpPort == 0) {
      tftpPort = 69;
    }
    if (biosLoader == null) {
      biosLoader = "pxelinux.0";
    }
    if (uefiLoader == null) {
      uefiLoader = "grubx64.efi";
    }
    if (arm64Loader == null) {
      arm64Loader = "grubaa64.efi";
    }
    if (ipxeScript == null) {
      ipxeScript = true;
    }
    if (httpPort < 1 || httpPort > 65535) {
      throw new IllegalArgumentException("http-port " + httpPort + "; expected 1 to 65535");
    }
    if (tftpPort < 1 || tftpPort > 65535) {
      throw new IllegalArgumentException("tftp-port " + tftpPort + "; expected 1 to 65535");
    }
  }

  /** The base URL machines use for kickstarts, iPXE scripts and callbacks, without a final /. */
  public String baseUrl(String fallbackAddress) {
    String host = address != null ? address : fallbackAddress;
    return "http://" + host + (httpPort == 80 ? "" : ":" + httpPort);
  }

  /** A copy that binds the given address and ports, for {@code serve}'s overrides. */
  public Server withListeners(String address, int httpPort, int tftpPort) {
    return new Server(
        address, httpPort, tftpPort, biosLoader, uefiLoader, arm64Loader, ipxeScript, scanKey);
  }
}
