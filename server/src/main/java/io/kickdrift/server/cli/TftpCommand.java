package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
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
 * the command list; {@code serve} is the real entry point).
 */
@Command(
    name = "tftp",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = {
      "Serves the files under a directory over TFTP, alone, until stopped (SIGTERM, Ctrl-C): for"
          + " benchmarks and tests; serve is the real entry point. See docs/tftp.md.",
      "Exit status: 0 stopped, 2 could not start."
    })
final class TftpCommand implements Callable<Integer> {
  private static final TftpServer.Settings DEFAULTS = TftpServer.Settings.defaults();

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The files served.")
  Path root;

  @Option(names = "--quiet", description = "No log line per transfer.")
  boolean quiet;

  @Option(names = "--port", paramLabel = "N", description = "UDP port (default 69; 0: any).")
  int port = 69;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Listen here (default: all).")
  InetAddress bind;

  @Option(
      names = "--max-transfers",
      paramLabel = "N",
      description = "At once (default ${DEFAULT-VALUE}).")
  int maxTransfers = DEFAULTS.maxTransfers();

  // a benchmark's storm of clients all comes from one loopback address
  @Option(
      names = "--max-per-client",
      paramLabel = "N",
      description = "Transfers at once per client address (default ${DEFAULT-VALUE}).")
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
      stderr.println("kickdrift tftp: " + ErrorText.of(e));
      return 2;
    }
    stdout.println("tftp serving " + root + " on " + TftpServer.show(at));
    UntilStopped.await(server::close, stdout::println);
    return 0;
  }
}
