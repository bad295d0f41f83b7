package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.server.cli.KickdriftCli;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kickdrift doctor} against a real BIND 9 named on loopback seeded with every problem. */
class DoctorIT {
  @TempDir Path dir;
  Named named;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    Map<String, String> zones =
        Named.labZones(
            List.of(
                "good IN A 192.0.2.10",
                // noa (192.0.2.11) has no A
                "moved IN A 192.0.2.50",
                "dup IN A 192.0.2.13",
                "wrongptr IN A 192.0.2.14",
                "noptr IN A 192.0.2.15",
                "hand IN A 192.0.2.50"),
            List.of(
                "10 IN PTR good.lab.example.com.",
                "11 IN PTR noa.lab.example.com.",
                "12 IN PTR moved.lab.example.com.",
                "13 IN PTR dup.lab.example.com.",
                "13 IN PTR dup-old.lab.example.com.",
                "14 IN PTR good.lab.example.com.",
                // 15 (noptr) has no PTR
                "50 IN PTR hand.lab.example.com."));
    named = Named.start(dir.resolve("named"), zones);
  }

  @AfterEach
  void stop() throws Exception {
    if (named != null) {
      named.close();
    }
  }

  static String host(String name, int octet) {
    return """
        - name: %s.lab.example.com
          profile: p
          interfaces:
            - {name: eth0, mac: "52:54:00:00:00:%02x", ip: 192.0.2.%d}
        """
        .formatted(name, octet, octet);
  }

  static final String ALL =
      host("good", 10)
          + host("noa", 11)
          + host("moved", 12)
          + host("dup", 13)
          + host("wrongptr", 14)
          + host("noptr", 15);

  Path inventory(String hosts) throws Exception {
    String text =
        Named.DISTRO_AND_PROFILE
            + """
        subnets:
          - network: 192.0.2.0/24
            domain: lab.example.com
          - network: 10.0.0.0/22
            domain: big.example.com
        hosts:
        %s"""
                .formatted(hosts.indent(2));
    return Files.writeString(dir.resolve("inventory.yaml"), text);
  }

  int doctor(String... args) {
    return KickdriftCli.run(out, err, "doctor", args);
  }

  @Test
  void findsEveryKindOfDisagreementSeededInTheZones() throws Exception {
    Path file = inventory(ALL);

    int exit = doctor("--inventory", file.toString(), "--resolver", named.endpoint(), "--json");

    assertThat(exit).as(err.toString()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("resolvers").get(0).asText()).isEqualTo(named.endpoint());
    assertThat(report.get("hosts").asInt()).isEqualTo(6);
    Set<String> found = new HashSet<>();
    report
        .get("findings")
        .forEach(f -> found.add(f.get("host").asText() + " " + f.get("kind").asText()));
    assertThat(found)
        .containsExactlyInAnyOrder(
            "noa.lab.example.com MISSING_FORWARD",
            "moved.lab.example.com FORWARD_ELSEWHERE",
            "moved.lab.example.com MISMATCH",
            "dup.lab.example.com DUPLICATE_PTR",
            "wrongptr.lab.example.com REVERSE_ELSEWHERE",
            "noptr.lab.example.com MISSING_REVERSE");
    assertThat(report.get("findings").size()).isEqualTo(6);
  }

  @Test
  void printsOneLinePerProblemThenTheSummary() throws Exception {
    Path file = inventory(ALL);

    int exit = doctor("--inventory", file.toString(), "--resolver", named.endpoint());

    assertThat(exit).as(err.toString()).isEqualTo(1);
    assertThat(out.toString().lines())
        .containsExactly(
            "noa.lab.example.com: A 192.0.2.11 expected, but noa.lab.example.com. does not exist",
            "moved.lab.example.com: A 192.0.2.12 expected, but moved.lab.example.com. has A"
                + " 192.0.2.50",
            "moved.lab.example.com: moved.lab.example.com. has A 192.0.2.50, but"
                + " 50.2.0.192.in-addr.arpa names hand.lab.example.com.",
            "dup.lab.example.com: 13.2.0.192.in-addr.arpa has 2 PTRs: dup.lab.example.com.,"
                + " dup-old.lab.example.com.",
            "wrongptr.lab.example.com: PTR wrongptr.lab.example.com. expected, but"
                + " 14.2.0.192.in-addr.arpa has PTR good.lab.example.com.",
            "noptr.lab.example.com: no PTR at 15.2.0.192.in-addr.arpa, expected PTR"
                + " noptr.lab.example.com.",
            "6 hosts, 6 addresses checked through " + named.endpoint() + ": 6 problems");
  }

  @Test
  void aConsistentInventoryExitsZero() throws Exception {
    Path file = inventory(host("good", 10));

    int exit = doctor("--inventory", file.toString(), "--resolver", named.endpoint());

    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(out.toString().lines())
        .containsExactly("1 host, 1 address checked through " + named.endpoint() + ": no problems");
  }

  @Test
  void aThousandHostsTakeSecondsNotMinutes() throws Exception {
    Map<String, String> zones = new LinkedHashMap<>();
    StringBuilder hosts = new StringBuilder();
    // the zone's NS needs an address, or named refuses to load it
    List<String> forward = new ArrayList<>(List.of("ns1 IN A 10.0.3.251"));
    List<String> reverse = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String ip = "10.0." + (i / 250) + "." + (i % 250 + 1);
      forward.add("n" + i + " IN A " + ip);
      reverse.add((i % 250 + 1) + "." + (i / 250) + " IN PTR n" + i + ".big.example.com.");
      hosts.append(
          """
          - name: n%d.big.example.com
            profile: p
            interfaces:
              - {name: eth0, mac: "52:54:00:00:%02x:%02x", ip: %s}
          """
              .formatted(i, i / 256, i % 256, ip));
    }
    zones.put("big.example.com", Named.zone("big.example.com", forward.toArray(String[]::new)));
    zones.put("0.10.in-addr.arpa", Named.zone("big.example.com", reverse.toArray(String[]::new)));
    try (Named big = Named.start(dir.resolve("big"), zones)) {
      Path file = inventory(hosts.toString());

      long start = System.nanoTime();
      int exit = doctor("--inventory", file.toString(), "--resolver", big.endpoint());
      long ms = (System.nanoTime() - start) / 1_000_000;

      assertThat(exit).as(out + "\n" + err).isZero();
      assertThat(out.toString().strip())
          .isEqualTo(
              "1000 hosts, 1000 addresses checked through " + big.endpoint() + ": no problems");
      assertThat(ms).as("milliseconds for 2000 queries").isLessThan(30_000);
    }
  }

  @Test
  void aResolverWhereNothingListensExitsTwoNamingIt() throws Exception {
    Path file = inventory(ALL);
    int port;
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String resolver = "127.0.0.1:" + port;

    long start = System.nanoTime();
    int exit =
        doctor(
            "--inventory",
            file.toString(),
            "--resolver",
            resolver,
            "--timeout",
            "1",
            "--retries",
            "0");

    assertThat(exit).as(out + "\n" + err).isEqualTo(2);
    assertThat(err.toString())
        .contains("kickdrift doctor: all 12 queries to " + resolver + " failed, e.g. A query for")
        .contains("failed: " + resolver + ": ");
    assertThat(out.toString().lines())
        .containsExactly("6 hosts, 6 addresses checked through " + resolver + ": 12 problems");
    // all 12 questions go out at once: one timeout, not twelve
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
  }
}
