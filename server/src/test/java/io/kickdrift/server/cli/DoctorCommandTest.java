package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.dns.DnsLookups;
import io.kickdrift.server.dns.Doctor;
import io.kickdrift.server.dns.HostNames;
import io.kickdrift.server.inventory.Dns;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.Subnet;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code kickdrift doctor} without a resolver: inventory errors, options, output formats. */
class DoctorCommandTest {
  static final List<InetSocketAddress> SYSTEM = List.of(new InetSocketAddress("192.0.2.53", 53));

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int doctor(String... args) {
    return KickdriftCli.run(out, err, "doctor", args);
  }

  static Subnet subnet(String network, String... dns) {
    return new Subnet(network, null, List.of(dns), "lab.example.com", null, null);
  }

  static Inventory inventory(Dns dns, Subnet... subnets) {
    return new Inventory(null, null, List.of(), List.of(), List.of(), List.of(subnets), dns);
  }

  static List<String> labels(List<InetSocketAddress> servers) {
    return servers.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList();
  }

  @Test
  void anInventoryErrorIsPrintedAsTheLoaderReportsItAndExitsTwo() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "hosts:\n  - nmae: web01\n");

    assertThat(doctor("--inventory", bad.toString(), "--resolver", "127.0.0.1:9")).isEqualTo(2);
    assertThat(err.toString()).startsWith(bad + ":").contains("nmae");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMissingInventoryExitsTwo() {
    Path missing = dir.resolve("missing.yaml");
    assertThat(doctor("--inventory", missing.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(missing.toString());
  }

  /** An option value doctor refuses, and the refusal naming the option and the value. */
  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of(
            "--resolver",
            "127.0.0.1:dns",
            "--resolver: resolver '127.0.0.1:dns': expected address[:port]"),
        // one duration syntax: the refusal names the option and the value (was "--timeout 0.0")
        Arguments.of(
            "--timeout",
            "0",
            "Invalid value for option '--timeout': '0': expected more than zero"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badOptions")
  void aBadOptionValueIsNamedAndExitsTwo(String option, String value, String refusal)
      throws Exception {
    Path file = Files.writeString(dir.resolve("inventory.yaml"), "hosts: []\n");
    assertThat(doctor("--inventory", file.toString(), option, value)).isEqualTo(2);
    assertThat(err.toString()).contains(refusal);
  }

  @Test
  void anInventoryWithoutAddressesHasNothingToCheck() throws Exception {
    Path file = Files.writeString(dir.resolve("inventory.yaml"), "hosts: []\n");
    assertThat(doctor("--inventory", file.toString(), "--resolver", "127.0.0.1:9")).isZero();
    assertThat(out.toString().strip())
        .isEqualTo("0 hosts, 0 addresses checked through 127.0.0.1:9: no problems");
  }

  @Test
  void theFlagIsPreferredThenDnsResolversThenSubnetsThenTheSystem() {
    Dns dns = new Dns(null, 0, null, List.of("192.0.2.2", "192.0.2.3:5353"), List.of());
    Subnet a = subnet("192.0.2.0/24", "192.0.2.5", "192.0.2.6");
    Subnet b = subnet("198.51.100.0/24", "192.0.2.6", "[2001:db8::53]:54");

    assertThat(
            labels(DnsLookups.choose(List.of("127.0.0.1:5353"), inventory(dns, a), () -> SYSTEM)))
        .containsExactly("127.0.0.1:5353");
    assertThat(labels(DnsLookups.choose(List.of(), inventory(dns, a), () -> SYSTEM)))
        .containsExactly("192.0.2.2:53", "192.0.2.3:5353");
    assertThat(labels(DnsLookups.choose(null, inventory(null, a, b), () -> SYSTEM)))
        .containsExactly("192.0.2.5:53", "192.0.2.6:53", "2001:db8:0:0:0:0:0:53:54");
    assertThat(
            labels(DnsLookups.choose(null, inventory(null, subnet("192.0.2.0/24")), () -> SYSTEM)))
        .containsExactly("192.0.2.53:53");
  }

  @Test
  void aMalformedInventoryResolverNamesWhereItCameFrom() {
    Dns dns = new Dns(null, 0, null, List.of("192.0.2.2:x"), List.of());
    assertThatThrownBy(() -> DnsLookups.choose(null, inventory(dns), () -> SYSTEM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "dns.resolvers: resolver '192.0.2.2:x': expected address[:port], e.g. 192.0.2.2:53");
  }

  @Test
  void jsonHasTheResolversTheCountsAndEveryFinding() throws Exception {
    InetAddress address = InetAddress.getByName("192.0.2.21");
    Doctor.Finding finding =
        new Doctor.Finding(
            "web01",
            HostNames.absolute("web01.lab.example.com"),
            address,
            Doctor.Kind.MISSING_REVERSE,
            "no PTR at 21.2.0.192.in-addr.arpa, expected PTR web01.lab.example.com.");
    Doctor.Report report = new Doctor.Report(1, 1, 2, 0, List.of(finding));

    assertThat(DoctorCommand.json(report, List.of("127.0.0.1:53")))
        .isEqualTo(
            "{\"resolvers\":[\"127.0.0.1:53\"],\"hosts\":1,\"addresses\":1,\"queries\":2,"
                + "\"failedQueries\":0,\"findings\":[{\"host\":\"web01\","
                + "\"name\":\"web01.lab.example.com.\",\"address\":\"192.0.2.21\","
                + "\"kind\":\"MISSING_REVERSE\",\"message\":\"no PTR at 21.2.0.192.in-addr.arpa,"
                + " expected PTR web01.lab.example.com.\"}]}");
    assertThat(DoctorCommand.summary(report, "127.0.0.1:53"))
        .isEqualTo("1 host, 1 address checked through 127.0.0.1:53: 1 problem");
  }
}
