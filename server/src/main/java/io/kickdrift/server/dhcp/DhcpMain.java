package io.kickdrift.server.dhcp;

import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.SiteModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the DHCP server alone against an inventory, for benchmarks and integration tests, until
 * killed: {@code java -cp kickdrift.jar io.kickdrift.server.dhcp.DhcpMain --inventory FILE --mode
 * reservations|proxy --state DIR [--interface IF] [--port N] [--pxe-port N]}. The {@code serve}
 * command is the real entry point. {@code -Ddhcp.quiet=true} turns off the per-answer log.
 */
public final class DhcpMain {
  private DhcpMain() {}

  public static void main(String[] args) throws Exception {
    Path inventoryFile = null;
    Path state = null;
    String mode = null;
    String nic = null;
    int port = 67;
    int pxePort = 4011;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--inventory" -> inventoryFile = Path.of(args[i + 1]);
        case "--state" -> state = Path.of(args[i + 1]);
        case "--mode" -> mode = args[i + 1];
        case "--interface" -> nic = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--pxe-port" -> pxePort = Integer.parseInt(args[i + 1]);
        default -> usage("unknown argument: " + args[i]);
      }
    }
    if (inventoryFile == null || state == null || mode == null || args.length % 2 != 0) {
      usage(null);
    }
    DhcpServer.Mode m =
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "reservations" -> DhcpServer.Mode.RESERVATIONS;
          case "proxy" -> DhcpServer.Mode.PROXY;
          default ->
              throw new IllegalArgumentException(
                  "--mode " + mode + "; expected reservations or proxy");
        };
    Inventory inventory = InventoryLoader.load(inventoryFile);
    // DHCP answers need the subnets and reservations, not the hosts' files
    SiteModel site = Models.site(inventory, inventoryFile.getFileName().toString());
    boolean quiet = Boolean.getBoolean("dhcp.quiet");
    LeaseStore leases = SqliteLeaseStore.open(state);
    DhcpServer server =
        new DhcpServer(
            () -> site,
            new DhcpServer.Settings(m, nic, port, pxePort, null),
            leases,
            quiet ? line -> {} : line -> System.out.println(line));
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  leases.close();
                }));
    new CountDownLatch(1).await();
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println(problem);
    }
    System.err.println(
        "usage: DhcpMain --inventory FILE --mode reservations|proxy --state DIR [--interface IF]"
            + " [--port N] [--pxe-port N]");
    System.exit(2);
  }
}
