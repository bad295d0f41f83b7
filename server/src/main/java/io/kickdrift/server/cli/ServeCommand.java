package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.DecryptOptions;
import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.agent.cli.Version;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.state.StateDir;
import io.kickdrift.server.dhcp.DhcpServer;
import io.kickdrift.server.fleet.BaselineScans;
import io.kickdrift.server.fleet.FleetScan;
import io.kickdrift.server.fleet.SshSettings;
import io.kickdrift.server.logs.Component;
import io.kickdrift.server.metrics.ServeMetrics;
import io.kickdrift.server.serve.Serve;
import io.kickdrift.server.serve.ServeLog;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift serve}: TFTP and HTTP for bare metal, and the install lifecycle. Its help text
 * is in {@code ServeCommand.properties}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
  @Mixin InventoryOption inventory = new InventoryOption();

  @Option(names = "--bind", paramLabel = "ADDR")
  InetAddress bind;

  @Option(names = "--tftp-port", paramLabel = "N")
  Integer tftpPort;

  @Option(names = "--http-port", paramLabel = "N")
  Integer httpPort;

  @Option(names = "--tls-cert", paramLabel = "FILE")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE")
  Path tlsKey;

  @Option(names = "--https-port", paramLabel = "N")
  int httpsPort = 8443;

  @Mixin StateOption state = new StateOption();

  @Mixin UsersOption users = new UsersOption();

  @Option(names = "--login-lockout-after", paramLabel = "N")
  int lockoutAfter = 5;

  @Option(names = "--login-lockout", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration lockout = Duration.ofMinutes(15);

  @Option(names = "--session-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration sessionTimeout = Duration.ofHours(8);

  @Option(names = "--root", paramLabel = "DIR")
  Path root;

  @Mixin TemplatesOption templates = new TemplatesOption();

  @Mixin DesiredOption desired = new DesiredOption();

  @Mixin DecryptOptions decrypt = new DecryptOptions();

  @Mixin LogOptions logging = new LogOptions();

  @Mixin DatabaseOption database = new DatabaseOption();

  /** The built-in DHCP server's mode. */
  public enum DhcpMode {
    off,
    proxy,
    reservations
  }

  @Option(names = "--dhcp", paramLabel = "MODE")
  DhcpMode dhcp = DhcpMode.off;

  @Option(names = "--dhcp-interface", paramLabel = "IF")
  String dhcpInterface;

  @Option(names = "--no-dns-sync")
  boolean noDnsSync;

  @Option(names = "--scan-repo", paramLabel = "DIR")
  Path scanRepo;

  @Option(names = "--scan-identity", paramLabel = "FILE")
  List<Path> scanIdentities = new ArrayList<>();

  @Option(names = "--scan-known-hosts", paramLabel = "FILE")
  Path scanKnownHosts;

  @Option(names = "--scan-way", paramLabel = "WAY")
  FleetScan.Way scanWay = FleetScan.Way.AUTO;

  @Option(names = "--scan-root", paramLabel = "DIR")
  String scanRoot = "/";

  @Option(names = "--scan-agent-jar", paramLabel = "FILE")
  Path scanAgentJar;

  @Option(names = "--agent-cache", paramLabel = "DIR")
  String agentCache;

  @Option(names = "--scan-delay", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration scanDelay = Duration.ofSeconds(60);

  @Option(names = "--scan-retry", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration scanRetry = Duration.ofSeconds(30);

  @Option(names = "--scan-give-up", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration scanGiveUp = Duration.ofMinutes(30);

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    StateDir stateDir = state.dir();
    try {
      logging.apply(stdout);
    } catch (IllegalArgumentException e) {
      stderr.println("serve: " + e.getMessage());
      return 2;
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      stderr.println(
          "serve: "
              + (tlsCert == null
                  ? "--tls-key needs --tls-cert (tls.cert)"
                  : "--tls-cert needs --tls-key (tls.key)"));
      return 2;
    }
    ServeLog logs = ServeLog.slf4j();
    Consumer<String> log = logs.of(Component.SERVE);
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
                  !noDnsSync,
                  tlsCert == null ? null : new Serve.Https(tlsCert, tlsKey, httpsPort),
                  new Serve.Console(
                      users.file(stateDir),
                      new io.kickdrift.server.access.LoginGuard.Limits(
                          lockoutAfter,
                          lockout,
                          io.kickdrift.server.access.LoginGuard.Limits.defaults().perMinute()),
                      sessionTimeout),
                  new Serve.Desired(desired.dir(inventory.file()), decrypt.decryptor()),
                  database.url()),
              logs,
              ServeMetrics.prometheus());
    } catch (Exception e) {
      return Failed.report("serve", e, stderr::println);
    }
    Hangup.onSignal(() -> serve.reload("SIGHUP"), log);
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
            GlobRules.builtIn("default-ignore.txt"),
            GlobRules.builtIn("default-secrets.txt"),
            null,
            "kickdrift",
            Version.number(),
            command,
            Duration.ofMinutes(15),
            1,
            ConfigRepo.Redaction.builtIn(stateDir.secretDigestKey()),
            agentCache);
    return new BaselineScans.Settings(fleet, ssh, scanDelay, scanRetry, scanGiveUp);
  }
}
