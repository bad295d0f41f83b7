package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DnsSync} against a real BIND 9 named on loopback, checked with dig. */
class DnsSyncIT {
  @TempDir Path dir;
  Named named;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> zones =
        Named.labZones(
            List.of(
                "hand IN A 192.0.2.99",
                "web03 IN A 192.0.2.50",
                "web01 IN MX 10 mail.lab.example.com."),
            List.of("99 IN PTR hand.lab.example.com."));
    named = Named.start(dir.resolve("named"), zones);
  }

  @AfterEach
  void stop() throws Exception {
    if (named != null) {
      named.close();
    }
  }

  static String inventory(Path key, int port, String hosts) {
    return Named.DISTRO_AND_PROFILE
        + """
        subnets:
          - network: 192.0.2.0/24
            domain: lab.example.com
        dns:
          key-file: %s
          ttl: 600
          zones:
            - name: lab.example.com
              primary: 127.0.0.1:%d
              nameservers: [ns1.lab.example.com]
            - name: 2.0.192.in-addr.arpa
              primary: 127.0.0.1:%d
              nameservers: [ns1.lab.example.com]
        hosts:
        %s"""
            .formatted(key, port, port, hosts.indent(2));
  }

  static final String WEB01 =
      """
      - name: web01.lab.example.com
        profile: p
        interfaces:
          - {name: eth0, mac: "52:54:00:00:00:01", ip: 192.0.2.21, ip6: "2001:db8::21"}
          - {name: eth1, mac: "52:54:00:00:00:02", ip: 192.0.2.121}
      """;
  static final String WEB02 =
      """
      - name: web02
        profile: p
        interfaces:
          - {name: eth0, mac: "52:54:00:00:00:03", ip: 192.0.2.22}
      """;
  static final String WEB03 =
      """
      - name: web03.lab.example.com
        profile: p
        interfaces:
          - {name: eth0, mac: "52:54:00:00:00:04", ip: 192.0.2.23}
      """;

  Inventory load(String hosts) throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, inventory(named.keyFile, named.port, hosts));
    return InventoryLoader.load(file);
  }

  DnsSync.Result sync(Inventory inventory) {
    return new DnsSync(DnsSync.Options.defaults(dir)).run(inventory);
  }

  @Test
  void createsRecordsLeavesHandMadeOnesAndSendsNothingTheSecondTime() throws Exception {
    Inventory inventory = load(WEB01 + WEB02 + WEB03);

    DnsSync.Result first = sync(inventory);

    assertThat(first.zones()).allSatisfy(z -> assertThat(z.error()).isNull());
    assertThat(named.dig("web01.lab.example.com", "A")).containsExactly("192.0.2.21");
    assertThat(named.dig("web01.lab.example.com", "AAAA")).containsExactly("2001:db8::21");
    assertThat(named.dig("web01.lab.example.com", "MX"))
        .containsExactly("10 mail.lab.example.com.");
    assertThat(named.dig("eth1.web01.lab.example.com", "A")).containsExactly("192.0.2.121");
    assertThat(named.dig("web02.lab.example.com", "A")).containsExactly("192.0.2.22");
    assertThat(named.dig("21.2.0.192.in-addr.arpa", "PTR"))
        .containsExactly("web01.lab.example.com.");
    assertThat(named.dig("121.2.0.192.in-addr.arpa", "PTR"))
        .containsExactly("eth1.web01.lab.example.com.");
    assertThat(named.dig("web01.lab.example.com", "TXT"))
        .containsExactly("\"heritage=kickdrift,kickdrift/owner=kickdrift\"");
    // web03 has a hand-made A: a conflict, left alone; its PTR is free and created
    assertThat(named.dig("web03.lab.example.com", "A")).containsExactly("192.0.2.50");
    assertThat(first.exitStatus(false)).isEqualTo(1);
    assertThat(DnsSync.diff(first))
        .anySatisfy(l -> assertThat(l).startsWith("! web03.lab.example.com."));
    assertThat(named.dig("hand.lab.example.com", "A")).containsExactly("192.0.2.99");
    assertThat(first.messages()).isEqualTo(2);

    long forward = named.serial("lab.example.com");
    long reverse = named.serial("2.0.192.in-addr.arpa");
    DnsSync.Result second = sync(inventory);
    assertThat(second.messages()).isZero();
    assertThat(named.serial("lab.example.com")).isEqualTo(forward);
    assertThat(named.serial("2.0.192.in-addr.arpa")).isEqualTo(reverse);
  }

  @Test
  void changedAndRemovedHostsAreCorrectedOnlyWhereKickdriftOwnsTheName() throws Exception {
    sync(load(WEB01 + WEB02));
    String moved = WEB02.replace("192.0.2.22", "192.0.2.32");

    DnsSync.Result result = sync(load(moved));

    assertThat(result.exitStatus(false)).as(String.valueOf(result)).isZero();
    assertThat(named.dig("web01.lab.example.com", "A")).isEmpty();
    assertThat(named.dig("web01.lab.example.com", "TXT")).isEmpty();
    assertThat(named.dig("web01.lab.example.com", "MX"))
        .containsExactly("10 mail.lab.example.com.");
    assertThat(named.dig("21.2.0.192.in-addr.arpa", "PTR")).isEmpty();
    assertThat(named.dig("web02.lab.example.com", "A")).containsExactly("192.0.2.32");
    assertThat(named.dig("22.2.0.192.in-addr.arpa", "PTR")).isEmpty();
    assertThat(named.dig("32.2.0.192.in-addr.arpa", "PTR"))
        .containsExactly("web02.lab.example.com.");
    assertThat(named.dig("hand.lab.example.com", "A")).containsExactly("192.0.2.99");
    assertThat(named.dig("99.2.0.192.in-addr.arpa", "PTR"))
        .containsExactly("hand.lab.example.com.");
  }

  @Test
  void theCommandPrintsADiffOnDryRunSendsNothingThenSyncs() throws Exception {
    load(WEB02);
    Path file = dir.resolve("inventory.yaml");
    long serial = named.serial("lab.example.com");

    Cli dry = cli("dns", "sync", "--inventory", file.toString(), "--dry-run");

    assertThat(dry.exit()).as(dry.err()).isEqualTo(1);
    assertThat(dry.out())
        .contains("zone lab.example.com at 127.0.0.1:" + named.port + ": create=1")
        .contains("+ web02.lab.example.com.\t600\tIN\tA\t192.0.2.22")
        .contains("+ 22.2.0.192.in-addr.arpa.\t600\tIN\tPTR\tweb02.lab.example.com.")
        .contains("planned 2 zones")
        .contains("0 update messages sent");
    assertThat(named.serial("lab.example.com")).isEqualTo(serial);
    assertThat(named.dig("web02.lab.example.com", "A")).isEmpty();

    Cli real = cli("dns", "sync", "--inventory", file.toString());
    Cli again = cli("dns", "sync", "--inventory", file.toString());

    assertThat(real.exit()).as(real.err()).isZero();
    assertThat(real.out()).contains("2 update messages sent");
    assertThat(named.dig("web02.lab.example.com", "A")).containsExactly("192.0.2.22");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains(": in step").contains("0 update messages sent");
  }

  @Test
  void jsonCarriesTheDiffAndTheSummaryAsOneDocument() throws Exception {
    load(WEB02);
    Path file = dir.resolve("inventory.yaml");

    Cli dry = cli("dns", "sync", "--inventory", file.toString(), "--dry-run", "--json");

    assertThat(dry.exit()).as(dry.err()).isEqualTo(1);
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(dry.out());
    assertThat(doc.get("dry-run").asBoolean()).isTrue();
    assertThat(doc.get("messages").asInt()).isZero();
    com.fasterxml.jackson.databind.JsonNode zone = doc.get("zones").get(0);
    assertThat(zone.get("zone").asText()).isEqualTo("lab.example.com");
    assertThat(zone.get("server").asText()).isEqualTo("127.0.0.1:" + named.port);
    assertThat(zone.get("in-step").asBoolean()).isFalse();
    com.fasterxml.jackson.databind.JsonNode change = zone.get("changes").get(0);
    assertThat(change.get("kind").asText()).isEqualTo("create");
    assertThat(change.get("name").asText()).isEqualTo("web02.lab.example.com.");
    assertThat(change.get("added").toString())
        .contains("web02.lab.example.com.\\t600\\tIN\\tA\\t192.0.2.22");
    assertThat(named.dig("web02.lab.example.com", "A")).isEmpty();

    Cli real = cli("dns", "sync", "--inventory", file.toString(), "--json");
    assertThat(real.exit()).as(real.err()).isZero();
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(real.out())
                .get("messages")
                .asInt())
        .isEqualTo(2);
  }

  @Test
  void hostLimitsTheSyncToThatHostsNamesAndAReadableKeyIsWarnedAbout() throws Exception {
    load(WEB01 + WEB02);
    Path file = dir.resolve("inventory.yaml");
    java.nio.file.Files.setPosixFilePermissions(
        named.keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    Cli one = cli("dns", "sync", "--inventory", file.toString(), "--host", "web02");

    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(one.err())
        .contains(named.keyFile + " (a TSIG secret) is readable by every user; chmod 600 it");
    assertThat(named.dig("web02.lab.example.com", "A")).containsExactly("192.0.2.22");
    assertThat(named.dig("web01.lab.example.com", "A")).isEmpty();

    java.nio.file.Files.setPosixFilePermissions(
        named.keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Cli unknown = cli("dns", "sync", "--inventory", file.toString(), "--host", "nope");
    Cli all = cli("dns", "sync", "--inventory", file.toString());

    assertThat(unknown.exit()).isEqualTo(2);
    Files.writeString(
        dir.resolve("noprimary.yaml"),
        Files.readString(file).replaceAll("primary: 127.0.0.1:\\d+", "primary: null"));
    Cli noPrimary = cli("dns", "sync", "--inventory", dir.resolve("noprimary.yaml").toString());
    assertThat(noPrimary.exit()).isEqualTo(2);
    assertThat(noPrimary.out())
        .contains("zone lab.example.com at (no primary): not synced (see the error)");
    assertThat(noPrimary.err()).contains("zone lab.example.com: no primary in dns.zones");
    assertThat(unknown.err()).contains("--host nope: no such host");
    assertThat(all.err()).doesNotContain("readable");
    assertThat(named.dig("web01.lab.example.com", "A")).containsExactly("192.0.2.21");
  }

  record Cli(int exit, String out, String err) {}

  static Cli cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cmd = io.kickdrift.server.cli.KickdriftMain.tree();
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  @Test
  void aWrongKeyIsRefusedAndNothingChanges() throws Exception {
    Inventory inventory = load(WEB01);
    String before = named.axfr("lab.example.com");
    String other = Named.run(List.of("tsig-keygen", "-a", "hmac-sha256", "kickdrift"));
    Files.writeString(named.keyFile.resolveSibling("wrong.key"), other);
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                named.keyFile.toString(), named.keyFile.resolveSibling("wrong.key").toString()));

    DnsSync.Result result = sync(InventoryLoader.load(file));

    assertThat(result.exitStatus(false)).isEqualTo(2);
    assertThat(result.zones().get(0).error()).contains("lab.example.com").contains("BADSIG");
    assertThat(named.axfr("lab.example.com")).isEqualTo(before);
    assertThat(inventory.hosts()).hasSize(1);
  }

  @Test
  void anUnknownKeyAZoneTheServerDoesNotHaveAndAReadOnlyZoneAreNamed() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    load(WEB01);
    String text = Files.readString(file);
    Path renamed = dir.resolve("other-name.key");
    Files.writeString(
        renamed, Files.readString(named.keyFile).replace("key \"kickdrift\"", "key \"stranger\""));
    Files.writeString(file, text.replace(named.keyFile.toString(), renamed.toString()));

    DnsSync.Result badKey = sync(InventoryLoader.load(file));

    assertThat(badKey.zones().get(0).error())
        .contains("zone lab.example.com")
        .contains("TSIG BADKEY: 127.0.0.1:" + named.port + " does not know the key");

    Files.writeString(
        file, text.replace("- name: 2.0.192.in-addr.arpa", "- name: 9.0.192.in-addr.arpa"));
    DnsSync.Result notAuth = sync(InventoryLoader.load(file));

    assertThat(notAuth.zones().get(1).error())
        .contains("zone 9.0.192.in-addr.arpa")
        .contains("NOTAUTH");
    assertThat(notAuth.zones().get(0).error()).isNull();
    assertThat(notAuth.exitStatus(false)).isEqualTo(2);
  }

  @Test
  void aZoneRefusingUpdatesIsNamedAndAnHmacSha512KeyWorks(@TempDir Path other) throws Exception {
    try (Named sha512 =
        Named.start(
            other.resolve("named"),
            Named.labZones(List.of(), List.of()),
            "hmac-sha512",
            java.util.Set.of("2.0.192.in-addr.arpa"))) {
      assertThat(Files.readString(sha512.keyFile)).contains("hmac-sha512");
      Path file = other.resolve("inventory.yaml");
      Files.writeString(file, inventory(sha512.keyFile, sha512.port, WEB02));

      DnsSync.Result result =
          new DnsSync(DnsSync.Options.defaults(other)).run(InventoryLoader.load(file));

      assertThat(result.zones().get(0).error()).isNull();
      assertThat(sha512.dig("web02.lab.example.com", "A")).containsExactly("192.0.2.22");
      assertThat(result.zones().get(1).error())
          .isEqualTo(
              "zone 2.0.192.in-addr.arpa: 127.0.0.1:"
                  + sha512.port
                  + " rejected the update: REFUSED: the server's policy (allow-update / update-policy) refuses this key");
      assertThat(sha512.dig("22.2.0.192.in-addr.arpa", "PTR")).isEmpty();
    }
  }

  @Test
  void clockSkewIsNamedWithItsSize() throws Exception {
    Inventory inventory = load(WEB01);
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-412));

    DnsSync.Result result =
        new DnsSync(new DnsSync.Options(dir, false, behind, Duration.ofSeconds(10), 100))
            .run(inventory);

    assertThat(result.zones().get(0).error())
        .contains("BADTIME")
        .containsPattern("clock skew with 127.0.0.1:\\d+ is 41[123] s");
  }
}
