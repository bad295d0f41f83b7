package io.kickdrift.server.cli;

import io.kickdrift.server.dhcp.DhcpServer;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.serve.Serve;
import io.kickdrift.server.serve.ServeLog;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
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
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--inventory",
      required = true,
      paramLabel = "FILE",
      description = "The inventory.")
  Path inventory;

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

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "Database, callback key, admin token (default $KICKDRIFT_STATE, else ~/.local/state/kickdrift).")
  Path state;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Files served as they are: boot loaders, kernels, initrds (default STATE/root).")
  Path root;

  @Option(
      names = "--templates",
      paramLabel = "DIR",
      description = "Templates replacing built-in ones.")
  Path templates;

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

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    Path stateDir = StateDir.resolve(state);
    ServeLog log = new ServeLog(stdout, Clock.systemUTC());
    Serve serve;
    try {
      serve =
          Serve.start(
              new Serve.Options(
                  inventory,
                  stateDir,
                  root != null ? root : stateDir.resolve("root"),
                  templates,
                  bind,
                  tftpPort,
                  httpPort,
                  switch (dhcp) {
                    case off -> null;
                    case proxy -> DhcpServer.Mode.PROXY;
                    case reservations -> DhcpServer.Mode.RESERVATIONS;
                  },
                  dhcpInterface),
              log);
    } catch (InventoryException e) {
      e.problems().forEach(stderr::println);
      return 2;
    } catch (Exception e) {
      stderr.println("kickdrift serve: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              log.accept("stopping (signal)");
              serve.close();
              log.accept("stopped");
              stopped.countDown();
            },
            "serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      serve.close();
    }
    return 0;
  }
}
