package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.server.dhcp.DhcpServer;
import io.kickdrift.server.dhcp.JdbcLeaseStore;
import io.kickdrift.server.dhcp.LeaseStore;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.SiteModel;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift dhcp --inventory FILE --mode reservations|proxy}: the DHCP server alone, for
 * benchmarks and tests (hidden from the command list; {@code serve --dhcp} is the real entry
 * point). Its help text is in {@code DhcpCommand.properties}.
 */
@Command(name = "dhcp", hidden = true, mixinStandardHelpOptions = true)
final class DhcpCommand implements Callable<Integer> {
  @Option(names = "--mode", required = true, paramLabel = "reservations|proxy")
  DhcpServer.Mode mode;

  @Mixin InventoryOption inventory = new InventoryOption();

  @Mixin StateOption state = new StateOption();

  /** The interface served; its address is the server identifier. */
  @Option(names = "--interface", paramLabel = "IF")
  String nic;

  @Option(names = "--port", paramLabel = "N")
  int port = 67;

  @Option(names = "--pxe-port", paramLabel = "N")
  int pxePort = 4011;

  @Option(names = "--quiet")
  boolean quiet;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    LeaseStore leases = null;
    DhcpServer server = null;
    try {
      // DHCP answers need the subnets and reservations, not the hosts' files
      SiteModel site =
          Models.site(
              InventoryLoader.load(inventory.file()), inventory.file().getFileName().toString());
      leases = JdbcLeaseStore.open(state.existing().dir());
      server =
          new DhcpServer(
              () -> site,
              new DhcpServer.Settings(mode, nic, port, pxePort, null),
              leases,
              quiet ? line -> {} : stdout::println);
      server.start();
    } catch (InventoryException | RenderException | IOException | RuntimeException e) {
      close(server, leases);
      return Failed.report("dhcp", e, stderr::println);
    }
    DhcpServer started = server;
    LeaseStore open = leases;
    UntilStopped.await(() -> close(started, open), stdout::println);
    return 0;
  }

  private static void close(DhcpServer server, LeaseStore leases) {
    if (server != null) {
      server.close();
    }
    if (leases != null) {
      leases.close();
    }
  }
}
