package io.kickdrift.server.cli;

import io.kickdrift.server.tftp.RootSource;
import io.kickdrift.server.tftp.TftpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift tftp --root DIR}: the TFTP server alone, for benchmarks and tests (hidden from
 * the command list; {@code serve} is the real entry point). Its help text is in {@code
 * TftpCommand.properties}.
 */
@Command(name = "tftp", hidden = true, mixinStandardHelpOptions = true)
final class TftpCommand implements Callable<Integer> {
  private static final TftpServer.Settings DEFAULTS = TftpServer.Settings.defaults();

  @Option(names = "--root", required = true, paramLabel = "DIR")
  Path root;

  @Option(names = "--quiet")
  boolean quiet;

  @Option(names = "--port", paramLabel = "N")
  int port = 69;

  @Option(names = "--bind", paramLabel = "ADDR")
  InetAddress bind;

  @Option(names = "--max-transfers", paramLabel = "N")
  int maxTransfers = DEFAULTS.maxTransfers();

  // a benchmark's storm of clients all comes from one loopback address
  @Option(names = "--max-per-client", paramLabel = "N")
  int maxPerClient = DEFAULTS.maxPerClient();

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    TftpServer server =
        new TftpServer(
            new RootSource(root),
            DEFAULTS.withLimits(
                maxTransfers, maxPerClient, Math.min(DEFAULTS.priorityReserve(), maxTransfers - 1)),
            quiet ? line -> {} : stdout::println);
    InetSocketAddress at;
    try {
      at = server.start(new InetSocketAddress(bind, port));
    } catch (IOException | IllegalArgumentException e) {
      server.close();
      return Failed.report("tftp", e, stderr::println);
    }
    stdout.println("tftp serving " + root + " on " + TftpServer.show(at));
    UntilStopped.await(server::close, stdout::println);
    return 0;
  }
}
