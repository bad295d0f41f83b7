package io.kickdrift.server.tftp;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the TFTP server alone, for benchmarks and manual tests, until killed: {@code java -cp
 * kickdrift.jar io.kickdrift.server.tftp.TftpMain --root DIR --port N [--bind ADDR]
 * [--max-transfers N] [--max-per-client N]}. The {@code serve} command is the real entry point.
 */
public final class TftpMain {
  private TftpMain() {}

  public static void main(String[] args) throws Exception {
    Path root = null;
    int port = 69;
    String bind = "0.0.0.0";
    TftpServer.Settings defaults = TftpServer.Settings.defaults();
    int maxTransfers = defaults.maxTransfers();
    int maxPerClient = defaults.maxPerClient();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--bind" -> bind = args[i + 1];
        case "--max-transfers" -> maxTransfers = Integer.parseInt(args[i + 1]);
        // a benchmark's storm of clients all comes from one loopback address
        case "--max-per-client" -> maxPerClient = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
    }
    if (root == null || args.length % 2 != 0) {
      System.err.println(
          "usage: TftpMain --root DIR [--port N] [--bind ADDR] [--max-transfers N]"
              + " [--max-per-client N]");
      System.exit(2);
    }
    boolean quiet = Boolean.getBoolean("tftp.quiet");
    TftpServer server =
        new TftpServer(
            new RootSource(root),
            defaults.withLimits(
                maxTransfers, maxPerClient, Math.min(defaults.priorityReserve(), maxTransfers - 1)),
            quiet ? line -> {} : System.out::println);
    InetSocketAddress at = server.start(new InetSocketAddress(bind, port));
    System.out.println("tftp serving " + root + " on " + TftpServer.show(at));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
  }
}
