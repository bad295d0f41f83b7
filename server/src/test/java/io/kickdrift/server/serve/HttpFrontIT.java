package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP side of serve against curl: kickstarts, callbacks, the API, files with Range. */
class HttpFrontIT {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final String WEB01 = "web01.lab.example.com";
  private static final String WEB01_PXE = "/pxelinux.cfg/01-52-54-00-12-34-01";
  private static final byte[] ADMIN = new byte[16];

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final CallbackTokens tokens = new CallbackTokens(new byte[32]);
  private String base;
  private Path inventory = EXAMPLE;

  @BeforeAll
  static void requireCurl() {
    Cmd.require("curl", "curl");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  /** Starts a server on the state in dir, as serve would, bound to IPv4 loopback. */
  private Provisioner start() throws Exception {
    return start(InetAddress.getByName("127.0.0.1"));
  }

  private Provisioner start(InetAddress loopback) throws Exception {
    StateStore state = SqliteStateStore.open(dir.resolve("state"));
    running.add(state);
    Path root = Files.createDirectories(dir.resolve("root"));
    Provisioner p =
        new Provisioner(
            inventory,
            (Inventory inv) -> inv,
            tokens,
            new TreeRenderer(new Templates(null)),
            state,
            Clock.systemUTC(),
            log::add);
    p.start();
    running.add(0, p);
    HttpFront http = new HttpFront(p, root, ADMIN, log::add);
    running.add(0, http);
    InetSocketAddress bound = http.start(new InetSocketAddress(loopback, 0));
    String host = loopback.getHostAddress().contains(":") ? "[::1]" : "127.0.0.1";
    base = "http://" + host + ":" + bound.getPort();
    return p;
  }

  private Cmd.Result curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code}"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd);
  }

  /**
   * The example inventory, taking kickstarts and callbacks from any address: curl asks from
   * loopback, not from the hosts' 192.0.2.x.
   */
  private void fromAnyAddress() throws Exception {
    inventory = dir.resolve("inventory.yaml");
    Files.writeString(
        inventory,
        Files.readString(EXAMPLE)
            .replace("  address: 192.0.2.10\n", "  address: 192.0.2.10\n  kickstart-from: any\n"));
  }

  private String token() throws Exception {
    return MenuToken.of(base, WEB01, "52:54:00:12:34:01");
  }

  private static int status(Cmd.Result r) {
    String[] lines = r.out().split("\n");
    return Integer.parseInt(lines[lines.length - 1].strip());
  }

  @Test
  void aKickstartNeedsItsHostsToken() throws Exception {
    fromAnyAddress();
    start();
    Cmd.Result good = curl(base + "/ks/" + WEB01 + "/" + token());
    assertThat(status(good)).isEqualTo(200);
    assertThat(good.out()).startsWith("#version=RHEL9\n").contains("network --hostname=" + WEB01);
    // the token a host-name-only HMAC gave before install windows: worthless now
    assertThat(status(curl(base + "/ks/" + WEB01 + "/" + "0".repeat(32)))).isEqualTo(404);
    assertThat(status(curl(base + "/ks/" + WEB01 + "/"))).isEqualTo(404);
    Cmd.Result unknown = curl(base + "/ks/nosuch.example.com/" + token());
    assertThat(unknown.out()).isEqualTo(curl(base + "/ks/" + WEB01 + "/" + "0".repeat(32)).out());
  }

  @Test
  void aKickstartOrCallbackFromAnotherAddressThanTheHostsIsRefused() throws Exception {
    start(); // the example: kickstart-from host (the default); web01 is 192.0.2.21
    String token = token();
    Cmd.Result ks = curl(base + "/ks/" + WEB01 + "/" + token);
    assertThat(status(ks)).isEqualTo(403);
    assertThat(ks.out())
        .contains(
            "kickstart of "
                + WEB01
                + " refused: request from 127.0.0.1; expected one of the host's addresses"
                + " (192.0.2.21)");
    Cmd.Result cb = curl("-X", "POST", base + "/callback/" + WEB01 + "/" + token);
    assertThat(status(cb)).isEqualTo(403);
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT install");
  }

  @Test
  void aGoodCallbackSwitchesTheMenuToLocalBootAndSurvivesARestart() throws Exception {
    fromAnyAddress();
    start();
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT install");

    Cmd.Result wrong = curl("-X", "POST", base + "/callback/" + WEB01 + "/" + "0".repeat(32));
    assertThat(status(wrong)).isEqualTo(404);
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT install");

    String token = token();
    Cmd.Result good = curl("-X", "POST", base + "/callback/" + WEB01 + "/" + token);
    assertThat(status(good)).isEqualTo(200);
    assertThat(status(curl("-X", "POST", base + "/callback/" + WEB01 + "/" + token)))
        .as("the install is over: its token is dead")
        .isEqualTo(404);
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT local").doesNotContain("inst.ks");
    assertThat(curl(base + "/grub/grub.cfg-01-52-54-00-12-34-01").out())
        .contains("set default=local");

    stop();
    running.clear();
    start();
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT local");
    Cmd.Result hosts = curl(base + "/api/v1/hosts");
    assertThat(hosts.out()).contains("\"host\":\"" + WEB01 + "\"", "\"state\":\"installed\"");
    Cmd.Result events = curl(base + "/api/v1/events?host=" + WEB01);
    assertThat(events.out()).contains("\"kind\":\"installed\"", "\"kind\":\"callback-refused\"");
    assertThat(log)
        .anyMatch(l -> l.contains("POST /callback/" + WEB01 + "/") && l.contains(" 200 "));
  }

  @Test
  void eachInstallHasItsOwnTokenWhichDiesWithItsCallback() throws Exception {
    fromAnyAddress();
    start();
    String first = token();
    assertThat(status(curl(base + "/ks/" + WEB01 + "/" + first))).isEqualTo(200);
    assertThat(status(curl("-X", "POST", base + "/callback/" + WEB01 + "/" + first)))
        .isEqualTo(200);
    assertThat(status(curl("-X", "POST", base + "/callback/" + WEB01 + "/" + first)))
        .as("a second callback with the finished install's token")
        .isEqualTo(404);
    assertThat(status(curl(base + "/ks/" + WEB01 + "/" + first))).isEqualTo(404);

    String bearer = "Authorization: Bearer " + HexFormat.of().formatHex(ADMIN);
    String url = base + "/api/v1/hosts/" + WEB01 + "/netboot";
    assertThat(status(curl("-X", "POST", "-H", bearer, "-d", "{\"enabled\": true}", url)))
        .isEqualTo(200);
    String second = token();
    assertThat(second).isNotEqualTo(first);
    assertThat(status(curl(base + "/ks/" + WEB01 + "/" + first))).isEqualTo(404);
    assertThat(status(curl(base + "/ks/" + WEB01 + "/" + second))).isEqualTo(200);
  }

  @Test
  void reenablingNetbootNeedsTheAdminToken() throws Exception {
    fromAnyAddress();
    start();
    curl("-X", "POST", base + "/callback/" + WEB01 + "/" + token());
    String url = base + "/api/v1/hosts/" + WEB01 + "/netboot";
    assertThat(status(curl("-X", "POST", "-d", "{\"enabled\": true}", url))).isEqualTo(401);
    assertThat(
            status(
                curl(
                    "-X",
                    "POST",
                    "-H",
                    "Authorization: Bearer nottheadmintoken",
                    "-d",
                    "{\"enabled\": true}",
                    url)))
        .isEqualTo(401);
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT local");

    String bearer = "Authorization: Bearer " + HexFormat.of().formatHex(ADMIN);
    assertThat(status(curl("-X", "POST", "-H", bearer, "-d", "{\"enabled\": \"yes\"}", url)))
        .isEqualTo(400);
    Cmd.Result ok = curl("-X", "POST", "-H", bearer, "-d", "{\"enabled\": true}", url);
    assertThat(status(ok)).isEqualTo(200);
    assertThat(ok.out()).contains("\"state\":\"install-pending\"");
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT install");
  }

  @Test
  void filesUnderTheRootAreServedWithRangesAndNothingOutsideIt() throws Exception {
    start();
    byte[] kernel = new byte[3 * 1024 * 1024 + 7];
    new Random(7).nextBytes(kernel);
    Files.createDirectories(dir.resolve("root/images/rocky9"));
    Files.write(dir.resolve("root/images/rocky9/vmlinuz"), kernel);
    Files.writeString(dir.resolve("secret.txt"), "outside the root");

    Path whole = dir.resolve("whole");
    assertThat(status(curl("-o", whole.toString(), base + "/images/rocky9/vmlinuz")))
        .isEqualTo(200);
    assertThat(Files.readAllBytes(whole)).isEqualTo(kernel);

    Path part = dir.resolve("part");
    Cmd.Result ranged =
        curl("-r", "1000-1999", "-o", part.toString(), base + "/images/rocky9/vmlinuz");
    assertThat(status(ranged)).isEqualTo(206);
    assertThat(Files.readAllBytes(part))
        .isEqualTo(java.util.Arrays.copyOfRange(kernel, 1000, 2000));

    assertThat(status(curl("--path-as-is", base + "/../secret.txt"))).isIn(400, 404);
    assertThat(status(curl("--path-as-is", base + "/images/%2e%2e/%2e%2e/secret.txt")))
        .isIn(400, 404);
    assertThat(status(curl(base + "/nosuchfile"))).isEqualTo(404);

    // UEFI HTTP boot: shim asks for its next loader as "//grubx64.efi"
    Path doubled = dir.resolve("doubled");
    assertThat(
            status(
                curl("--path-as-is", "-o", doubled.toString(), base + "//images//rocky9/vmlinuz")))
        .isEqualTo(200);
    assertThat(Files.readAllBytes(doubled)).isEqualTo(kernel);
    assertThat(curl("--path-as-is", base + "//pxelinux.cfg/default").out()).contains("DEFAULT");
    assertThat(status(curl("--path-as-is", base + "//../secret.txt"))).isEqualTo(400);
    assertThat(status(curl("--path-as-is", base + "//images/../../secret.txt"))).isEqualTo(400);
  }

  @Test
  void unknownMacsGetNoMenuSoTheLoaderFallsBackToItsDefault() throws Exception {
    start();
    assertThat(status(curl(base + "/pxelinux.cfg/01-aa-bb-cc-dd-ee-ff"))).isEqualTo(404);
    assertThat(curl(base + "/pxelinux.cfg/default").out()).contains("DEFAULT local");
    assertThat(curl(base + "/ipxe/boot.ipxe").out()).startsWith("#!ipxe");
  }

  @Test
  void servesOnIpv6Too() throws Exception {
    fromAnyAddress();
    start(InetAddress.getByName("::1"));
    Cmd.Result hosts = curl("-g", base + "/api/v1/hosts");
    assertThat(status(hosts)).isEqualTo(200);
    assertThat(hosts.out()).contains("\"host\":\"" + WEB01 + "\"");
    assertThat(curl("-g", base + "/ks/" + WEB01 + "/" + token()).out())
        .startsWith("#version=RHEL9");
    assertThat(log).anyMatch(l -> l.startsWith("[0:0:0:0:0:0:0:1] - - ["));
  }
}
