package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.agent.state.StateDir;
import io.kickdrift.server.dhcp.DhcpServer;
import io.kickdrift.server.fleet.BaselineScans;
import io.kickdrift.server.fleet.FleetScan;
import io.kickdrift.server.fleet.SshSettings;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.serve.Serve;
import io.kickdrift.server.serve.ServeLog;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kickdrift serve}: TFTP and HTTP for bare metal, and the install lifecycle. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves what bare metal boots from: TFTP (boot loaders, per-MAC menus rendered from the"
          + " inventory and each host's state) and HTTP (kickstarts with per-host tokens, iPXE"
          + " scripts, kernels and initrds, the install callback, a JSON API). A host that calls"
          + " back after its install boots locally from then on. Stops cleanly on SIGTERM.",
      "Exit status: 0 stopped, 2 could not start."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin InventoryOption inventory = new InventoryOption();

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description =
          "Listen on this address (default all); a specific address is also the one machines"
              + " are told, else the inventory's server.address.")
  InetAddress bind;

  @Option(
      names = "--tftp-port",
      paramLabel = "N",
      description = "TFTP port (default the inventory's, 69).")
  Integer tftpPort;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description = "HTTP port (default the inventory's, 80).")
  Integer httpPort;

  @Mixin StateOption state = new StateOption();

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Files served as they are: boot loaders, kernels, initrds (default STATE/root). Its"
              + " kickdrift-loaders.json, read at start, decides linux or linuxefi in GRUB menus"
              + " of distros without grub-linux.")
  Path root;

  @Mixin TemplatesOption templates = new TemplatesOption();

  /** The built-in DHCP server's mode. */
  public enum DhcpMode {
    off,
    proxy,
    reservations
  }

  @Option(
      names = "--dhcp",
      paramLabel = "MODE",
      description =
          "Built-in DHCP on udp 67 and 4011 (needs root or CAP_NET_BIND_SERVICE): off (default),"
              + " proxy (answer PXE clients with boot information only, beside the site's DHCP),"
              + " reservations (be the DHCP server: inventory MACs get their addresses, others a"
              + " lease from the subnet's range).")
  DhcpMode dhcp = DhcpMode.off;

  @Option(
      names = "--dhcp-interface",
      paramLabel = "IF",
      description = "The interface DHCP serves; its address is the server identifier.")
  String dhcpInterface;

  @Option(
      names = "--no-dns-sync",
      description =
          "Do not keep the hosts' DNS records in step (by default serve syncs every host at start,"
              + " after its install callback and when the inventory changes, to the zones of"
              + " dns.zones that name a primary; docs/dns.md).")
  boolean noDnsSync;

  @Option(
      names = "--scan-repo",
      paramLabel = "DIR",
      description =
          "After each install callback, scan the host over SSH into this config repository: its"
              + " baseline (docs/fleet.md). Off without it.")
  Path scanRepo;

  @Option(
      names = "--scan-identity",
      paramLabel = "FILE",
      description = "SSH key for baseline scans (repeatable; default: ~/.ssh/id_*).")
  List<Path> scanIdentities = new ArrayList<>();

  @Option(
      names = "--scan-known-hosts",
      paramLabel = "FILE",
      description =
          "Host keys for baseline scans (default: STATE/known_hosts). A new host's key is recorded"
              + " at its first scan; a changed key is refused.")
  Path scanKnownHosts;

  @Option(names = "--scan-way", paramLabel = "WAY", description = "auto, agent or agentless.")
  FleetScan.Way scanWay = FleetScan.Way.AUTO;

  @Option(names = "--scan-root", paramLabel = "DIR", description = "Tree scanned (default: /).")
  String scanRoot = "/";

  @Option(
      names = "--scan-agent-jar",
      paramLabel = "FILE",
      description = "Jar copied to hosts for agent scans (default: this jar).")
  Path scanAgentJar;

  @Option(
      names = "--scan-delay",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "From the callback to the first try (default: 60s): the host reboots.")
  Duration scanDelay = Duration.ofSeconds(60);

  @Option(
      names = "--scan-retry",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Between tries while the host is unreachable (default: 30s).")
  Duration scanRetry = Duration.ofSeconds(30);

  @Option(
      names = "--scan-give-up",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop trying this long after the first try (default: 30m).")
  Duration scanGiveUp = Duration.ofMinutes(30);

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    StateDir stateDir = state.dir();
    ServeLog log = new ServeLog(stdout, Clock.systemUTC());
    Serve serve;
    try {
      BaselineScans.Settings baseline = scanRepo == null ? null : baseline(stateDir);
      serve =
          Serve.start(
              new Serve.Options(
                  inventory.file(),
                  stateDir.dir(),
                  root != null ? root : stateDir.servedRoot(),
                  templates.dir(),
                  bind,
                  tftpPort,
                  httpPort,
                  switch (dhcp) {
                    case off -> null;
                    case proxy -> DhcpServer.Mode.PROXY;
                    case reservations -> DhcpServer.Mode.RESERVATIONS;
                  },
                  dhcpInterface,
                  baseline,
                  !noDnsSync),
              log);
    } catch (InventoryException e) {
      e.problems().forEach(stderr::println);
      return 2;
    } catch (Exception e) {
      stderr.println("kickdrift serve: " + ErrorText.of(e));
      return 2;
    }
    UntilStopped.await(serve::close, log);
    return 0;
  }

  private BaselineScans.Settings baseline(StateDir stateDir) throws java.io.IOException {
    Duration command = Duration.ofMinutes(5);
    SshSettings ssh =
        new SshSettings(
            scanIdentities.isEmpty() ? FleetScanCommand.defaultIdentities() : scanIdentities,
            scanKnownHosts != null ? scanKnownHosts : stateDir.knownHosts(),
            true,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            command);
    FleetScan.Options fleet =
        new FleetScan.Options(
            scanRepo,
            scanWay,
            scanWay == FleetScan.Way.AGENTLESS ? null : FleetScanCommand.agentJar(scanAgentJar),
            scanRoot,
            List.of("/etc"),
            false,
            FleetScanCommand.builtIn("default-ignore.txt"),
            FleetScanCommand.builtIn("default-secrets.txt"),
            null,
            "kickdrift",
            FleetScanCommand.version(),
            command,
            Duration.ofMinutes(15),
            1);
    return new BaselineScans.Settings(fleet, ssh, scanDelay, scanRetry, scanGiveUp);
  }
}
