package io.kickdrift.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.server.dns.DnsLookups;
import io.kickdrift.server.dns.Doctor;
import io.kickdrift.server.dns.HostNames;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xbill.DNS.ResolverConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift doctor}: what the site's resolvers say that the inventory does not. Its help
 * text is in {@code DoctorCommand.properties}.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true)
final class DoctorCommand implements Callable<Integer> {
  static final int MAX_IN_FLIGHT = 64;

  @Mixin InventoryOption inventory = new InventoryOption();

  @Option(names = "--resolver", paramLabel = "ADDR[:PORT]")
  List<String> resolvers;

  @Mixin TimeoutOption timeout = new TimeoutOption("3s");

  @Option(names = "--retries", paramLabel = "N", defaultValue = "1")
  int retries;

  @Mixin JsonOption json = new JsonOption();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int run(PrintWriter out, PrintWriter err) throws InterruptedException {
    if (retries < 0) {
      err.println("kickdrift doctor: --retries " + retries + ": expected 0 or more");
      return 2;
    }
    Inventory loaded;
    List<InetSocketAddress> servers;
    List<HostNames.Entry> entries;
    try {
      loaded = InventoryLoader.load(inventory.file());
      servers =
          DnsLookups.choose(resolvers, loaded, () -> ResolverConfig.getCurrentConfig().servers());
      entries = HostNames.of(loaded);
    } catch (InventoryException | IllegalArgumentException e) {
      return Failed.report("doctor", e, err::println);
    }
    if (servers.isEmpty()) {
      err.println(
          "kickdrift doctor: no resolver: give --resolver, dns.resolvers or a subnet's dns, or"
              + " configure the system's");
      return 2;
    }
    DnsLookups lookups = new DnsLookups(servers, timeout.value(), retries);
    Doctor.Report report = Doctor.check(entries, lookups, MAX_IN_FLIGHT);
    String through = String.join(", ", lookups.labels());
    if (json.on()) {
      out.println(json(report, lookups.labels()));
    } else if (!report.unreachable()) {
      report.findings().forEach(out::println);
    }
    if (report.unreachable()) {
      // resolvers down or refusing us: one line, not one per question
      String first =
          report.findings().isEmpty() ? "" : ", e.g. " + report.findings().get(0).message();
      err.println(
          "kickdrift doctor: all "
              + report.queries()
              + " queries to "
              + through
              + " failed"
              + first);
    }
    if (!json.on()) {
      out.println(summary(report, through));
    }
    return report.exitStatus();
  }

  /** {@code 3 hosts, 4 addresses checked through 127.0.0.1:53: 2 problems}. */
  static String summary(Doctor.Report report, String through) {
    int n = report.findings().size();
    return count(report.hosts(), "host")
        + ", "
        + count(report.addresses(), "address")
        + " checked through "
        + through
        + ": "
        + (n == 0 ? "no problems" : count(n, "problem"));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
  }

  static String json(Doctor.Report report, List<String> resolvers) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("resolvers", resolvers);
    root.put("hosts", report.hosts());
    root.put("addresses", report.addresses());
    root.put("queries", report.queries());
    root.put("failedQueries", report.failedQueries());
    root.put(
        "findings",
        report.findings().stream()
            .map(
                f -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("host", f.host());
                  row.put("name", f.name().toString());
                  row.put("address", f.address().getHostAddress());
                  row.put("kind", f.kind().name());
                  row.put("message", f.message());
                  return row;
                })
            .toList());
    try {
      return new ObjectMapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings and numbers always serialize", e);
    }
  }
}
