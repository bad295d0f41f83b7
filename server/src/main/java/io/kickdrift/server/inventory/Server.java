package io.kickdrift.server.inventory;

/**
 * Where machines reach the provisioning server: the address written into boot menus, kickstart URLs
 * and callbacks, its HTTP and TFTP ports, the boot programs DHCP hands out per client type, whether
 * clients already running iPXE get the iPXE script ({@code ipxeScript}, default true) or their
 * architecture's loader like any PXE client, and the SSH public key kickstarts authorize for later
 * drift scans. Absent fields take the defaults below; an absent address takes the first subnet's
 * next-server.
 *
 * <p>The install lifecycle's limits: how long an install's token lives ({@code
 * install-token-lifetime}, a duration such as {@code 4h}), whether a kickstart or callback is taken
 * from any address or only from the host's own ({@code kickstart-from: host|any}), and how long and
 * how many events the state database keeps ({@code events-max-age}, {@code events-max-count}).
 * Durations are kept as written, checked by the inventory's validator (with file and line), and
 * read through the methods below.
 */
public record Server(
    String address,
    int httpPort,
    int tftpPort,
    String biosLoader,
    String uefiLoader,
    String arm64Loader,
    Boolean ipxeScript,
    String scanKey,
    String installTokenLifetime,
    String kickstartFrom,
    String eventsMaxAge,
    Integer eventsMaxCount) {
  /**
   * A pending install lives 4 hours: long enough for a slow firmware POST and a long install over a
   * slow mirror, short enough that a forgotten {@code netboot enable} does not leave a reinstall
   * armed for the next unplanned reboot.
   */
  public static final String DEFAULT_INSTALL_TOKEN_LIFETIME = "4h";

  /** A month of history: the last installs and refusals of every host, for whoever looks. */
  public static final String DEFAULT_EVENTS_MAX_AGE = "30d";

  /** At most 500 bytes of detail each, about 50 MB at worst, a few MB usually. */
  public static final int DEFAULT_EVENTS_MAX_COUNT = 100_000;

  public static final Server DEFAULT =
      new Server(null, 0, 0, null, null, null, null, null, null, null, null, null);

  /** Where machines reach the server, with the lifecycle's defaults. */
  public Server(
      String address,
      int httpPort,
      int tftpPort,
      String biosLoader,
      String uefiLoader,
      String arm64Loader,
      Boolean ipxeScript,
      String scanKey) {
    this(
        address,
        httpPort,
        tftpPort,
        biosLoader,
        uefiLoader,
        arm64Loader,
        ipxeScript,
        scanKey,
        null,
        null,
        null,
        null);
  }

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
    if (installTokenLifetime == null) {
      installTokenLifetime = DEFAULT_INSTALL_TOKEN_LIFETIME;
    }
    if (kickstartFrom == null) {
      kickstartFrom = "host";
    }
    if (eventsMaxAge == null) {
      eventsMaxAge = DEFAULT_EVENTS_MAX_AGE;
    }
    if (eventsMaxCount == null) {
      eventsMaxCount = DEFAULT_EVENTS_MAX_COUNT;
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
        address,
        httpPort,
        tftpPort,
        biosLoader,
        uefiLoader,
        arm64Loader,
        ipxeScript,
        scanKey,
        installTokenLifetime,
        kickstartFrom,
        eventsMaxAge,
        eventsMaxCount);
  }

  /** How long a new install's token is valid: {@code install-token-lifetime}. */
  public java.time.Duration tokenLifetime() {
    return DurationText.parse(installTokenLifetime);
  }

  /** Whether kickstarts and callbacks are taken from any address ({@code kickstart-from: any}). */
  public boolean kickstartFromAny() {
    return kickstartFrom.equals("any");
  }

  /** How long an event is kept: {@code events-max-age}. */
  public java.time.Duration eventsRetention() {
    return DurationText.parse(eventsMaxAge);
  }
}
