package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.state.PostgresCluster;
import io.kickdrift.testkit.ScratchDir;
import io.kickdrift.testkit.TestLan;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two {@code serve} instances on one PostgreSQL, each in its own network namespace on one bridge
 * (192.0.2.0/24): A at .10, B at .11, PostgreSQL at .1 in the bridge's namespace, the clients at
 * .60. Both answer DHCP (reservations mode, a dynamic range) for the same clients at once; a
 * callback accepted by A changes the menu B serves; A killed with -9 in the middle of a storm
 * leaves B answering every client; A started again serves what happened meanwhile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoServersIT {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-two").traversable();

  static final String PREFIX = "kd-two-" + ProcessHandle.current().pid();
  static final String LAN = PREFIX + "-lan";
  static final String A = PREFIX + "-a";
  static final String B = PREFIX + "-b";
  static final String CLI = PREFIX + "-cli";
  static final String WEB01 = "web01.lab.example.com";
  static final String MENU = "pxelinux.cfg/01-52-54-00-12-34-01";
  static TestLan lan;
  static final Map<String, Process> servers = new HashMap<>();
  static final Map<String, String> address = Map.of(A, "192.0.2.10", B, "192.0.2.11");

  static PostgresCluster db;
  static String database;
  static Path inventory;
  static Path passwordFile;

  @BeforeAll
  static void network() throws Exception {
    Cmd.requireAll("ip=iproute2", "tftp=tftp-hpa", "curl=curl");
    lan = TestLan.create("192.0.2.1/24", LAN, A, B, CLI);
    lan.port(A, "a0", "ab", "192.0.2.10/24");
    lan.port(B, "b0", "bb", "192.0.2.11/24");
    lan.port(CLI, "c0", "cb", "192.0.2.60/24");
    Cmd.ok("ip", "-n", CLI, "route", "add", "default", "dev", "c0");
    db = PostgresCluster.start(scratch.path(), LAN, "192.0.2.1");
    database = db.newDatabase().replaceAll(".*/", "");
    passwordFile = Files.writeString(scratch.path().resolve("db-password"), db.password() + "\n");
    inventory =
        Files.writeString(
            scratch.path().resolve("inventory.yaml"),
            """
            server:
              address: 192.0.2.10
              kickstart-from: any
            distros:
              - name: rocky9
                family: rocky
                version: "9.5"
                kernel: http://192.0.2.10/trees/rocky9/images/pxeboot/vmlinuz
                initrd: http://192.0.2.10/trees/rocky9/images/pxeboot/initrd.img
                install-tree: http://192.0.2.10/trees/rocky9
            subnets:
              - network: 192.0.2.0/24
                domain: lab.example.com
                range: {start: 192.0.2.30, end: 192.0.2.254}
            profiles:
              - name: base
                distro: rocky9
                packages: ["@core"]
            hosts:
              - name: web01.lab.example.com
                profile: base
                netboot: true
                interfaces:
                  - {name: eth0, mac: "52:54:00:12:34:01", ip: 192.0.2.21}
            """);
    // both instances hold the same keys (callback tokens minted by one are good at the other)
    Path first = scratch.path().resolve("state-" + A);
    Cmd.Result init = Cmd.kickdrift("init", "--state", first.toString());
    assertThat(init.exit()).as(init.err()).isZero();
    Cmd.ok("cp", "-a", first.toString(), scratch.path().resolve("state-" + B).toString());
    start(A);
    start(B);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : servers.values()) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (db != null) {
      db.close();
    }
    if (lan != null) {
      lan.close();
    }
  }

  /** Starts serve in namespace {@code ns} and waits until it answers DHCP. */
  static void start(String ns) throws Exception {
    Path log = scratch.path().resolve("serve-" + ns + "-" + System.nanoTime() + ".log");
    Process p =
        new ProcessBuilder(
                TestLan.in(
                    ns,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    Path.of("target/kickdrift.jar").toAbsolutePath().toString(),
                    "serve",
                    "--inventory",
                    inventory.toString(),
                    "--state",
                    scratch.path().resolve("state-" + ns).toString(),
                    "--bind",
                    address.get(ns),
                    "--tftp-port",
                    "69",
                    "--http-port",
                    "8080",
                    "--dhcp",
                    "reservations",
                    "--database",
                    db.libpqUrl(database),
                    "--database-password-file",
                    passwordFile.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    servers.put(ns, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log);
      if (text.contains("dhcp (reservations) listening")) {
        return;
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("serve in " + ns + " did not start:\n" + Files.readString(log));
  }

  /** {@code command} run in the clients' namespace. */
  static List<String> inClients(String... command) {
    return TestLan.in(CLI, command);
  }

  /** web01's PXELINUX menu as serve in {@code ns} answers it over TFTP (tftp-hpa). */
  static String menu(String ns) throws Exception {
    Path out = scratch.path().resolve("menu-" + System.nanoTime());
    Cmd.Result r =
        Cmd.run(
            inClients(
                "tftp", "-m", "binary", address.get(ns), "69", "-c", "get", MENU, out.toString()));
    assertThat(r.exit()).as("tftp from %s: %s%s", ns, r.out(), r.err()).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void aCallbackAcceptedByAChangesTheMenuBServesWithinASecond() throws Exception {
    String before = menu(B);
    assertThat(before).contains("DEFAULT install");
    assertThat(menu(A)).contains("DEFAULT install");
    String token = MenuToken.in(WEB01, before);
    Cmd.Result callback =
        curl("-X", "POST", "http://192.0.2.10:8080/callback/" + WEB01 + "/" + token);
    long accepted = System.nanoTime();
    assertThat(callback.out()).as(callback.err()).isEqualTo("200");
    String after = menu(B);
    long seen = System.nanoTime();
    assertThat(after).contains("DEFAULT local").doesNotContain("inst.ks");
    assertThat(TimeUnit.NANOSECONDS.toMillis(seen - accepted)).isLessThan(1000);
  }

  @Test
  @Order(2)
  void aStormOnBothWithAKilledMidwayLeasesEveryClientOneAddress() throws Exception {
    int clients = 200;
    Process storm =
        new ProcessBuilder(
                testMain(
                    "io.kickdrift.server.dhcp.DhcpStorm", Integer.toString(clients), "1000", "60"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Map<String, String> ipOf = new HashMap<>();
    Map<String, Integer> byServer = new HashMap<>();
    Map<String, Integer> offersBy = new HashMap<>();
    List<String> lines = new ArrayList<>();
    int killedAt = -1;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(storm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        String[] f = line.split(" ");
        if (f[0].equals("offer")) {
          offersBy.merge(f[2], 1, Integer::sum);
        }
        if (f[0].equals("ack")) {
          assertThat(ipOf.put(f[1], f[2])).as("%s bound twice", f[1]).isNull();
          byServer.merge(f[3], 1, Integer::sum);
          // kill -9 a quarter of the way in once A has bound a client (B may win every race
          // for a while: both answer each DISCOVER), half of the way in at the latest
          boolean aServed = byServer.containsKey("192.0.2.10");
          if ((ipOf.size() >= clients / 4 && aServed || ipOf.size() >= clients / 2)
              && servers.get(A).isAlive()) {
            servers.get(A).destroyForcibly();
            killedAt = ipOf.size();
          }
        }
      }
    } finally {
      storm.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(lines)
        .as("the storm's report")
        .last()
        .asString()
        .isEqualTo("done " + clients + " 0");
    assertThat(ipOf).hasSize(clients);
    assertThat(ipOf.values()).as("an address leased twice").doesNotHaveDuplicates();
    assertThat(killedAt).as("A killed in the middle of the storm").isBetween(1, clients - 1);
    assertThat(byServer).containsKey("192.0.2.11");
    // both answered the storm at once: A's OFFERs reached the clients before it was killed
    assertThat(offersBy).as("OFFERs by server").containsKeys("192.0.2.10", "192.0.2.11");
    // the database holds each client's lease on the address it was told
    String rows = db.psql(database, "SELECT mac || ' ' || ip FROM leases WHERE mac <> ''");
    Map<String, String> stored = new HashMap<>();
    for (String row : rows.strip().split("\n")) {
      String[] f = row.split(" ");
      stored.put(f[0], f[1]);
    }
    assertThat(stored).containsAllEntriesOf(ipOf);
  }

  @Test
  @Order(3)
  void anInstanceStartedAgainServesWhatHappenedMeanwhile() throws Exception {
    if (servers.get(A).isAlive()) {
      servers.get(A).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    start(A);
    assertThat(menu(A)).contains("DEFAULT local");
    assertThat(menu(B)).contains("DEFAULT local");
  }

  /** {@code curl} in the clients' namespace: the status code, after {@code args}. */
  static Cmd.Result curl(String... args) throws Exception {
    List<String> cmd = inClients("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}");
    cmd.addAll(List.of(args));
    return Cmd.run(cmd);
  }

  /** {@code java -cp TEST-CLASSES:JAR MAIN ARGS} in the clients' namespace. */
  static List<String> testMain(String main, String... args) {
    List<String> cmd =
        inClients(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            Path.of("target/test-classes").toAbsolutePath()
                + ":"
                + Path.of("target/kickdrift.jar").toAbsolutePath(),
            main);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** What the scripted PXE client in the clients' namespace hears for {@code spec}. */
  static List<String> raw(String spec) throws Exception {
    Cmd.Result r =
        Cmd.run(
            testMain("io.kickdrift.server.dhcp.RawDhcpClient", "255.255.255.255:67", "1500", spec));
    assertThat(r.exit()).as(r.err()).isZero();
    return r.lines().stream().filter(l -> l.startsWith("reply ")).toList();
  }

  @Test
  @Order(4)
  void withTheDatabaseGoneMenusAndReservationsGoOnAndTheCallbackLandsOnRetry() throws Exception {
    String bearer =
        "Authorization: Bearer "
            + Files.readString(scratch.path().resolve("state-" + B + "/admin.token")).strip();
    Cmd.Result enable =
        curl(
            "-X",
            "POST",
            "-H",
            bearer,
            "-H",
            "Content-Type: application/json",
            "--data",
            "{\"enabled\": true}",
            "http://192.0.2.11:8080/api/v1/hosts/" + WEB01 + "/netboot");
    assertThat(enable.out()).as(enable.err()).isEqualTo("200");
    String menu = menu(B);
    assertThat(menu).contains("DEFAULT install");
    String token = MenuToken.in(WEB01, menu);
    assertThat(curl("http://192.0.2.11:8080/readyz").out()).isEqualTo("200");

    db.crash(); // pg_ctl stop -m immediate
    try {
      assertThat(menu(B)).as("the last known menu").contains("DEFAULT install");
      assertThat(menu(A))
          .as("enabled through B, seen by A through NOTIFY before any request")
          .contains("DEFAULT install");
      assertThat(raw("discover,mac=52:54:00:12:34:01"))
          .as("a reservation needs no database")
          .anySatisfy(l -> assertThat(l).contains("type=OFFER", "yiaddr=192.0.2.21"));
      assertThat(raw("discover,mac=52:54:00:5b:00:01"))
          .as("a dynamic lease that cannot be recorded is not given")
          .isEmpty();
      assertThat(curl("http://192.0.2.11:8080/readyz").out()).isEqualTo("503");
      assertThat(curl("-X", "POST", "http://192.0.2.10:8080/callback/" + WEB01 + "/" + token).out())
          .isEqualTo("503");
    } finally {
      // the installer's own callback, started while the database is still away
      Process installer =
          new ProcessBuilder(
                  inClients(
                      "curl",
                      "-fsS",
                      "--retry",
                      "20",
                      "--retry-delay",
                      "2",
                      "--max-time",
                      "30",
                      "-X",
                      "POST",
                      "http://192.0.2.10:8080/callback/" + WEB01 + "/" + token))
              .redirectErrorStream(true)
              .start();
      Thread.sleep(3000);
      db.restart();
      assertThat(installer.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(installer.exitValue())
          .as(new String(installer.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
    }
    assertThat(menu(B)).contains("DEFAULT local");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!curl("http://192.0.2.11:8080/readyz").out().equals("200")
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(curl("http://192.0.2.11:8080/readyz").out()).isEqualTo("200");
    assertThat(raw("discover,mac=52:54:00:5b:00:01"))
        .as("dynamic leases again")
        .anySatisfy(l -> assertThat(l).contains("type=OFFER"));
  }
}
