package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.TestLan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * kickdrift's DHCP server (kickdrift dhcp, a child process in its own network namespace) against
 * real clients: udhcpc and dhclient in a client namespace, a scripted PXE client in another, and
 * dnsmasq beside it for proxy mode. A bridge in the server namespace joins them on 192.0.2.0/24:
 * kickdrift 192.0.2.10 (on the bridge), dnsmasq 192.0.2.11, the scripted client 192.0.2.60.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DhcpClientsIT {
  static final String PREFIX = "kd-dhcp-" + ProcessHandle.current().pid();
  static final String SRV = PREFIX + "-srv";
  static final String CLI = PREFIX + "-cli";
  static final String RAW = PREFIX + "-raw";
  static final String DNS = PREFIX + "-dns";
  static final String RESERVED_MAC = "52:54:00:12:34:01";

  static Path tmp;
  static Process server;
  static Path serverLog;
  static Process dnsmasq;
  static TestLan lan;

  @BeforeAll
  static void network() throws Exception {
    Cmd.requireAll(
        "ip=iproute2", "udhcpc=udhcpc", "dhclient=isc-dhcp-client", "dnsmasq=dnsmasq-base");
    tmp = Files.createTempDirectory("kd-dhcp-it");
    lan = TestLan.create("192.0.2.10/24", SRV, CLI, RAW, DNS);
    // No route for 255.255.255.255 and no default route: broadcasts must leave by the interface
    // that owns the server address on their own (docs/dhcp.md).
    lan.port(CLI, "c0", "cb", null);
    lan.port(RAW, "r0", "rb", "192.0.2.60/24");
    lan.port(DNS, "d0", "db", "192.0.2.11/24");
    Cmd.ok("ip", "-n", CLI, "link", "set", "c0", "address", RESERVED_MAC);
    Cmd.ok("ip", "-n", RAW, "route", "add", "default", "dev", "r0");
    startServer("reservations");
  }

  private static void startServer(String mode) throws Exception {
    Path state = tmp.resolve("state-" + mode);
    Cmd.Result init = Cmd.kickdrift("init", "--state", state.toString());
    assertThat(init.exit()).as(init.err()).isZero();
    serverLog = tmp.resolve("server-" + mode + ".log");
    server =
        new ProcessBuilder(
                TestLan.in(
                    SRV,
                    java(),
                    "-jar",
                    jar(),
                    "dhcp",
                    "--inventory",
                    Path.of("src/test/resources/dhcp/site.yaml").toAbsolutePath().toString(),
                    "--mode",
                    mode,
                    "--state",
                    state.toString()))
            .redirectErrorStream(true)
            .redirectOutput(serverLog.toFile())
            .start();
    awaitLog("dhcp " + mode + " mode on port 67 and 4011, server id 192.0.2.10");
  }

  private static void awaitLog(String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.readString(serverLog).contains(line)) {
        return;
      }
      if (!server.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + line + "' from the server:\n" + Files.readString(serverLog));
  }

  private static void stop(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @AfterAll
  static void teardown() throws Exception {
    stop(server);
    stop(dnsmasq);
    if (tmp != null) {
      killPidFile(tmp.resolve("dhclient.pid"));
    }
    if (lan != null) {
      lan.close(); // the namespaces, their veths and the bridge
    }
    if (tmp != null) {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void killPidFile(Path pidFile) throws IOException {
    if (Files.exists(pidFile)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
          .ifPresent(ProcessHandle::destroy);
      Files.delete(pidFile);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String jar() {
    Path jar = Path.of("target/kickdrift.jar").toAbsolutePath();
    assertThat(jar).as("run after mvn package").exists();
    return jar.toString();
  }

  private static Cmd.Result in(String ns, String... command) throws Exception {
    return Cmd.run(TestLan.in(ns, command));
  }

  private static Path script(String name, String body) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\nexit 0\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  /** udhcpc's view of the lease: the environment its script saw on "bound". */
  private static Map<String, String> udhcpc(String mac, String... extra) throws Exception {
    Cmd.ok("ip", "-n", CLI, "link", "set", "c0", "address", mac);
    Path s = script("udhcpc.sh", "[ \"$1\" = bound ] && env | grep -E '^[a-z_]+='");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "udhcpc", "-q", "-n", "-f", "-i", "c0", "-s", s.toString(), "-t", "4", "-T", "1"));
    cmd.addAll(List.of(extra));
    Cmd.Result r = in(CLI, cmd.toArray(String[]::new));
    assertThat(r.exit()).as("udhcpc: %s%s", r.out(), r.err()).isZero();
    return env(r.lines());
  }

  private static Map<String, String> env(List<String> lines) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String l : lines) {
      int eq = l.indexOf('=');
      if (eq > 0) {
        env.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return env;
  }

  /** The scripted PXE client: one output line per request sent and per reply received. */
  private static List<String> rawClient(String to, String... specs) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            TestLan.in(
                RAW,
                java(),
                "-cp",
                Path.of("target/test-classes").toAbsolutePath() + ":" + jar(),
                "io.kickdrift.server.dhcp.RawDhcpClient",
                to,
                "700"));
    cmd.addAll(List.of(specs));
    Cmd.Result r = Cmd.run(cmd);
    assertThat(r.exit()).as("raw client: %s%s", r.out(), r.err()).isZero();
    return r.lines();
  }

  private static List<String> replies(List<String> lines, int request) {
    return lines.stream().filter(l -> l.startsWith("reply " + request + " ")).toList();
  }

  @Test
  @Order(1)
  void udhcpcGetsItsReservationAndTheSubnetOptions() throws Exception {
    Map<String, String> env = udhcpc(RESERVED_MAC);
    assertThat(env)
        .containsEntry("ip", "192.0.2.21")
        .containsEntry("subnet", "255.255.255.0")
        .containsEntry("router", "192.0.2.1")
        .containsEntry("dns", "192.0.2.2 192.0.2.3")
        .containsEntry("domain", "lab.example.com")
        .containsEntry("hostname", "web01")
        .containsEntry("serverid", "192.0.2.10")
        .containsEntry("lease", "3600")
        .containsEntry("siaddr", "192.0.2.10")
        .containsEntry("boot_file", "pxelinux.0");
    assertThat(Files.readString(serverLog))
        .contains(
            "dhcp ACK 192.0.2.21 to 52:54:00:12:34:01 (web01.lab.example.com, reservation)"
                + " boot pxelinux.0");
  }

  @Test
  @Order(2)
  void dhclientGetsItsReservationAndTheSubnetOptions() throws Exception {
    Cmd.ok("ip", "-n", CLI, "link", "set", "c0", "address", "52:54:00:12:34:02");
    Path envFile = tmp.resolve("dhclient.env");
    Path s = script("dhclient.sh", "[ \"$reason\" = BOUND ] && env | grep '^new_' > " + envFile);
    Path conf = tmp.resolve("dhclient.conf");
    Files.writeString(conf, "timeout 20;\n");
    Path pid = tmp.resolve("dhclient.pid");
    try {
      Cmd.Result r =
          in(
              CLI,
              "dhclient",
              "-1",
              "-v",
              "-cf",
              conf.toString(),
              "-sf",
              s.toString(),
              "-lf",
              tmp.resolve("dhclient.leases").toString(),
              "-pf",
              pid.toString(),
              "c0");
      assertThat(r.exit()).as("dhclient: %s%s", r.out(), r.err()).isZero();
    } finally {
      killPidFile(pid); // it went to the background to renew
    }
    assertThat(env(Files.readAllLines(envFile)))
        .containsEntry("new_ip_address", "192.0.2.22")
        .containsEntry("new_subnet_mask", "255.255.255.0")
        .containsEntry("new_routers", "192.0.2.1")
        .containsEntry("new_domain_name_servers", "192.0.2.2 192.0.2.3")
        .containsEntry("new_domain_name", "lab.example.com")
        .containsEntry("new_host_name", "db01")
        .containsEntry("new_dhcp_lease_time", "3600")
        .containsEntry("new_next_server", "192.0.2.10")
        .containsEntry("new_filename", "pxelinux.0");
  }

  @Test
  @Order(3)
  void aMacNotInTheInventoryLeasesFromTheRangeAndKeepsItsAddress() throws Exception {
    Map<String, String> first = udhcpc("52:54:00:aa:bb:cc");
    assertThat(first.get("ip")).startsWith("192.0.2.1");
    int host = Integer.parseInt(first.get("ip").substring("192.0.2.".length()));
    assertThat(host).isBetween(100, 150);
    assertThat(first).containsEntry("router", "192.0.2.1").doesNotContainKey("hostname");
    assertThat(udhcpc("52:54:00:aa:bb:cc")).containsEntry("ip", first.get("ip"));
    assertThat(udhcpc("52:54:00:aa:bb:cd").get("ip")).isNotEqualTo(first.get("ip"));
    assertThat(Files.readString(serverLog))
        .contains("dhcp ACK " + first.get("ip") + " to 52:54:00:aa:bb:cc (lease)");
  }

  @Test
  @Order(4)
  void pxeClientsGetTheBootFileOfTheirArchitecture() throws Exception {
    List<String> out =
        rawClient(
            "255.255.255.255:67",
            "discover,mac=52:54:00:12:34:01,arch=0,vendor=PXEClient:Arch:00000:UNDI:002001",
            "discover,mac=52:54:00:12:34:01,arch=7,vendor=PXEClient:Arch:00007:UNDI:003016",
            "discover,mac=52:54:00:12:34:01,arch=9,vendor=PXEClient:Arch:00009:UNDI:003016",
            "discover,mac=52:54:00:12:34:01,arch=11,vendor=PXEClient:Arch:00011:UNDI:003016",
            "discover,mac=52:54:00:12:34:01,arch=7,vendor=PXEClient:Arch:00007:UNDI:003016,user=iPXE",
            "discover,mac=52:54:00:12:34:01,arch=16,vendor=HTTPClient:Arch:00016:UNDI:003001");
    String expect = " from=192.0.2.10 type=OFFER yiaddr=192.0.2.21 siaddr=192.0.2.10 file=";
    assertThat(replies(out, 0))
        .containsExactly(
            "reply 0"
                + expect
                + "pxelinux.0"
                + " vendor=PXEClient opt43=060108ff opt67=pxelinux.0");
    assertThat(replies(out, 1)).singleElement().asString().contains(expect + "grubx64.efi ");
    assertThat(replies(out, 2)).singleElement().asString().contains(expect + "grubx64.efi ");
    assertThat(replies(out, 3)).singleElement().asString().contains(expect + "grubaa64.efi ");
    assertThat(replies(out, 4))
        .singleElement()
        .asString()
        .contains(expect + "http://192.0.2.10/ipxe/boot.ipxe ");
    assertThat(replies(out, 5))
        .singleElement()
        .asString()
        .contains(expect + "http://192.0.2.10/grubx64.efi vendor=HTTPClient");
  }

  @Test
  @Order(5)
  void hostilePacketsAreDroppedAndCountedAndTheServerKeepsAnswering() throws Exception {
    List<String> out =
        rawClient(
            "192.0.2.10:67",
            "truncated",
            "badmagic",
            "overrun",
            "discover,mac=52:54:00:12:34:02,arch=0,vendor=PXEClient");
    assertThat(replies(out, 0)).isEmpty();
    assertThat(replies(out, 1)).isEmpty();
    assertThat(replies(out, 2)).isEmpty();
    assertThat(replies(out, 3))
        .singleElement()
        .asString()
        .contains("type=OFFER yiaddr=192.0.2.22 siaddr=192.0.2.10 file=pxelinux.0");
    assertThat(Files.readString(serverLog))
        .contains(
            "dhcp 192.0.2.60:68 malformed packet dropped: truncated header: 120 bytes, expected"
                + " at least 240",
            "dhcp 192.0.2.60:68 malformed packet dropped: wrong magic cookie 42825363, expected"
                + " 63825363",
            "dhcp 192.0.2.60:68 malformed packet dropped: option 60 overruns the packet at offset"
                + " 243: length 200, 55 bytes left");
  }

  @Test
  @Order(6)
  void proxyModeGivesTheBootFileWhileDnsmasqGivesTheAddress() throws Exception {
    stop(server);
    dnsmasq =
        new ProcessBuilder(
                TestLan.in(
                    DNS,
                    "dnsmasq",
                    "--no-daemon",
                    "--conf-file=/dev/null",
                    "--port=0",
                    "--user=root",
                    "--no-ping",
                    "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0",
                    "--interface=d0",
                    "--bind-interfaces",
                    "--dhcp-leasefile=" + tmp.resolve("dnsmasq.leases"),
                    "--pid-file=" + tmp.resolve("dnsmasq.pid")))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("dnsmasq.log").toFile())
            .start();
    startServer("proxy");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(tmp.resolve("dnsmasq.pid")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    // A PXE ROM sees two offers: the address from dnsmasq, the boot file from kickdrift.
    List<String> out =
        rawClient(
            "255.255.255.255:67",
            "discover,mac=52:54:00:aa:00:07,arch=7,vendor=PXEClient:Arch:00007:UNDI:003016",
            "request,mac=52:54:00:aa:00:07,arch=7,vendor=PXEClient:Arch:00007:UNDI:003016,"
                + "ciaddr=192.0.2.60");
    assertThat(replies(out, 0))
        .hasSize(2)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("reply 0 from=192.0.2.11 type=OFFER yiaddr=192.0.2.1")
                    .contains("file=-"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .isEqualTo(
                        "reply 0 from=192.0.2.10 type=OFFER yiaddr=0.0.0.0 siaddr=192.0.2.10"
                            + " file=grubx64.efi vendor=PXEClient opt43=060108ff"
                            + " opt67=grubx64.efi"));
    // The boot-server exchange on 4011.
    List<String> binl =
        rawClient(
            "192.0.2.10:4011",
            "request,mac=52:54:00:aa:00:07,arch=0,vendor=PXEClient:Arch:00000:UNDI:002001,"
                + "ciaddr=192.0.2.60");
    assertThat(replies(binl, 0))
        .containsExactly(
            "reply 0 from=192.0.2.10 type=ACK yiaddr=0.0.0.0 siaddr=192.0.2.10 file=pxelinux.0"
                + " vendor=PXEClient opt43=060108ff opt67=pxelinux.0");

    // A client that is not PXE gets dnsmasq's lease and nothing from kickdrift.
    Map<String, String> env = udhcpc("52:54:00:aa:00:08");
    assertThat(env).containsEntry("serverid", "192.0.2.11").doesNotContainKey("boot_file");
    assertThat(env.get("ip")).startsWith("192.0.2.1");
    assertThat(Files.readString(serverLog))
        .contains("dhcp OFFER 0.0.0.0 to 52:54:00:aa:00:07 (proxy) boot grubx64.efi")
        .doesNotContain("52:54:00:aa:00:08");
  }
}
