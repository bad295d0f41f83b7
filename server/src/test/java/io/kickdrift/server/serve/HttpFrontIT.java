package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side of serve against curl: kickstarts, callbacks, the API and its admin token, paged
 * events, files with Range and ETag and only under the served root, 405s, bodies, headers.
 */
class HttpFrontIT {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final String WEB01 = "web01.lab.example.com";
  private static final String WEB01_PXE = "/pxelinux.cfg/01-52-54-00-12-34-01";
  private static final byte[] ADMIN = new byte[16];
  private static final String BEARER = "Authorization: Bearer " + HexFormat.of().formatHex(ADMIN);

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final CallbackTokens tokens = new CallbackTokens(new byte[32]);
  private String base;
  private StateStore state;
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
    return start(loopback, Files.createDirectories(dir.resolve("root")));
  }

  private Provisioner start(InetAddress loopback, Path root) throws Exception {
    state = SqliteStateStore.open(dir.resolve("state"));
    running.add(state);
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

  /** POSTs {"enabled": true} to a host's netboot {@code url}, with these curl options first. */
  private Cmd.Result enableNetboot(String url, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("-X", "POST"));
    args.addAll(List.of(options));
    args.addAll(List.of("-d", "{\"enabled\": true}", url));
    return curl(args.toArray(String[]::new));
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
    Cmd.Result hosts = curl("-H", BEARER, base + "/api/v1/hosts");
    assertThat(hosts.out()).contains("\"host\":\"" + WEB01 + "\"", "\"state\":\"installed\"");
    Cmd.Result events = curl("-H", BEARER, base + "/api/v1/events?host=" + WEB01);
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

    String url = base + "/api/v1/hosts/" + WEB01 + "/netboot";
    assertThat(status(enableNetboot(url, "-H", BEARER, "-H", "Content-Type: application/json")))
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
    assertThat(status(enableNetboot(url))).isEqualTo(401);
    assertThat(status(enableNetboot(url, "-H", "Authorization: Bearer nottheadmintoken")))
        .isEqualTo(401);
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT local");

    String json = "Content-Type: application/json";
    assertThat(status(curl("-H", BEARER, "-H", json, "-d", "{\"enabled\": \"yes\"}", url)))
        .isEqualTo(400);
    Cmd.Result ok = enableNetboot(url, "-H", BEARER, "-H", json);
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
    Cmd.Result hosts = curl("-g", "-H", BEARER, base + "/api/v1/hosts");
    assertThat(status(hosts)).isEqualTo(200);
    assertThat(hosts.out()).contains("\"host\":\"" + WEB01 + "\"");
    assertThat(curl("-g", base + "/ks/" + WEB01 + "/" + token()).out())
        .startsWith("#version=RHEL9");
    assertThat(log).anyMatch(l -> l.startsWith("[0:0:0:0:0:0:0:1] - - ["));
  }

  /** A curl answer: the response headers (status line first) and the body. */
  private record Answer(String headers, String body) {
    int status() {
      return Integer.parseInt(headers.split(" ", 3)[1]);
    }

    /** The value of the last header {@code name} (curl may show several responses), or null. */
    String header(String name) {
      String value = null;
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          value = line.substring(colon + 1).strip();
        }
      }
      return value;
    }
  }

  private Answer fetch(String... args) throws Exception {
    Path headers = Files.createTempFile(dir, "headers", ".txt");
    Path body = Files.createTempFile(dir, "body", ".txt");
    List<String> cmd =
        new ArrayList<>(
            List.of("curl", "-sS", "-m", "30", "-D", headers.toString(), "-o", body.toString()));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd);
    assertThat(r.exit()).as("curl %s: %s", List.of(args), r.err()).isZero();
    return new Answer(
        Files.readString(headers), Files.readString(body, StandardCharsets.ISO_8859_1));
  }

  private static void link(Path link, Path target) throws Exception {
    Files.createSymbolicLink(link, target);
  }

  /** The table of links in and out of the root that HostileSuiteIT also asks for over TFTP. */
  @Test
  void filesAreServedOnlyWhenTheirRealPathIsUnderTheRoot() throws Exception {
    start();
    Path stateDir = dir.resolve("state");
    Files.writeString(stateDir.resolve("admin.token"), "ADMIN-TOKEN-SECRET\n");
    Files.writeString(stateDir.resolve("callback.key"), "CALLBACK-KEY-SECRET\n");
    ServedRootTable.layOut(dir.resolve("root"), stateDir);

    assertThat(ServedRootTable.overHttp(base, dir, ServedRootTable.secrets(stateDir)))
        .as("answers that differ from the table")
        .isEmpty();
    assertThat(log).anyMatch(l -> l.contains("http refused /passwd-link from 127.0.0.1"));
  }

  @Test
  void aRootThatIsASymlinkIsResolvedOnEveryRequest() throws Exception {
    Files.createDirectories(dir.resolve("tree-a"));
    Files.createDirectories(dir.resolve("tree-b"));
    Files.writeString(dir.resolve("tree-a/version"), "a\n");
    Files.writeString(dir.resolve("tree-b/version"), "b\n");
    Path root = dir.resolve("served");
    link(root, Path.of("tree-a"));
    start(InetAddress.getByName("127.0.0.1"), root);
    assertThat(fetch(base + "/version").body()).isEqualTo("a\n");

    // as render swaps its tree: a new link renamed over the old one
    Path next = dir.resolve("served.next");
    link(next, Path.of("tree-b"));
    Files.move(next, root, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertThat(fetch(base + "/version").body()).isEqualTo("b\n");
  }

  @Test
  void filesKeepEtagsConditionalRequestsAndHead() throws Exception {
    start();
    Files.writeString(dir.resolve("root/hello.txt"), "hello\n");
    Answer first = fetch(base + "/hello.txt");
    String etag = first.header("ETag");
    assertThat(etag).isNotBlank();
    assertThat(fetch("-H", "If-None-Match: " + etag, base + "/hello.txt").status()).isEqualTo(304);
    Answer head = fetch("-I", base + "/hello.txt");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo("6");
    assertThat(head.body()).as("curl -I prints the headers only").endsWith("\r\n\r\n");
  }

  @Test
  void apiReadsNeedTheAdminTokenAndInstallRoutesDoNot() throws Exception {
    fromAnyAddress();
    start();
    for (String path :
        List.of(
            "/api/v1/hosts",
            "/api/v1/events",
            "/api/v1/events?host=" + WEB01,
            "/api/v1/nosuch",
            "/api/")) {
      for (List<String> credentials :
          List.<List<String>>of(
              List.of(),
              List.of("-H", "Authorization: Bearer " + "0".repeat(31) + "1"),
              List.of("-H", "Authorization: Basic YWRtaW46YWRtaW4="),
              List.of("-H", "Authorization: Bearer"))) {
        List<String> args = new ArrayList<>(credentials);
        args.add(base + path);
        Answer refused = fetch(args.toArray(String[]::new));
        assertThat(refused.status()).as("%s with %s", path, credentials).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(refused.body()).doesNotContain(WEB01);
      }
    }
    assertThat(fetch("-H", BEARER, base + "/api/v1/hosts").status()).isEqualTo(200);
    assertThat(fetch("-H", BEARER.replace("Bearer", "bearer"), base + "/api/v1/hosts").status())
        .isEqualTo(200);
    assertThat(fetch("-H", BEARER, base + "/api/v1/nosuch").status()).isEqualTo(404);
    assertThat(
            fetch("-H", BEARER, "-H", "Authorization: Bearer x", base + "/api/v1/hosts").status())
        .isEqualTo(400);
    // what installing machines fetch stays open
    assertThat(fetch(base + WEB01_PXE).status()).isEqualTo(200);
    assertThat(fetch(base + "/pxelinux.cfg/default").status()).isEqualTo(200);
    assertThat(fetch(base + "/ks/" + WEB01 + "/" + token()).status()).isEqualTo(200);
  }

  @Test
  void eventsArePagedNewestFirstWithANextLink() throws Exception {
    start();
    // menus are recorded once a window (EventLimiter): seven events of web01 written directly
    for (int i = 0; i < 7; i++) {
      state.event(WEB01, "netboot-enabled", "test event " + i, java.time.Instant.now());
    }
    fetch(base + "/pxelinux.cfg/01-52-54-00-12-34-02"); // web02's
    ObjectMapper json = new ObjectMapper();
    List<Long> ids = new ArrayList<>();
    String url = base + "/api/v1/events?host=" + WEB01 + "&limit=3";
    int pages = 0;
    while (url != null) {
      Answer page = fetch("-H", BEARER, url);
      assertThat(page.status()).as(url).isEqualTo(200);
      JsonNode events = json.readTree(page.body());
      assertThat(events.size()).as(url).isBetween(1, 3);
      events.forEach(
          e -> {
            assertThat(e.path("host").asText()).isEqualTo(WEB01);
            ids.add(e.path("id").asLong());
          });
      String link = page.header("Link");
      if (link == null) {
        url = null;
      } else {
        Matcher next = Pattern.compile("<(/api/v1/events\\?[^>]+)>; rel=\"next\"").matcher(link);
        assertThat(next.matches()).as(link).isTrue();
        url = base + next.group(1);
      }
      pages++;
    }
    // the seven, and the install window serve opened for web01 at start
    int stored = state.events(WEB01, 100).size();
    assertThat(stored).isEqualTo(8);
    assertThat(pages).isEqualTo(3);
    assertThat(ids)
        .hasSize(stored)
        .doesNotHaveDuplicates()
        .isSortedAccordingTo((a, b) -> b.compareTo(a));

    Answer all = fetch("-H", BEARER, base + "/api/v1/events");
    assertThat(json.readTree(all.body()).size()).isEqualTo(state.events(null, 1000).size());
    assertThat(all.header("Link")).isNull();
    assertThat(all.header("Cache-Control")).isEqualTo("no-store");

    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("limit=0", "limit");
    bad.put("limit=1001", "limit");
    bad.put("limit=ten", "limit");
    bad.put("limit=", "limit");
    bad.put("limit=99999999999999999999", "limit");
    bad.put("before=0", "before");
    bad.put("before=-3", "before");
    bad.put("before=x", "before");
    bad.put("host=", "host");
    bad.put("host=%ff", "host");
    bad.put("hots=" + WEB01, "hots");
    bad.put("limit=5&limit=6", "limit");
    for (Map.Entry<String, String> q : bad.entrySet()) {
      Answer refused = fetch("-H", BEARER, base + "/api/v1/events?" + q.getKey());
      assertThat(refused.status()).as(q.getKey()).isEqualTo(400);
      assertThat(refused.body()).as(q.getKey()).contains(q.getValue());
    }
  }

  @Test
  void aMethodAKnownPathDoesNotTakeIs405WithAllow() throws Exception {
    start();
    Map<List<String>, String> allowed = new LinkedHashMap<>();
    allowed.put(List.of("-X", "DELETE", base + "/api/v1/hosts"), "GET, HEAD");
    allowed.put(List.of("-X", "PUT", base + "/api/v1/events"), "GET, HEAD");
    allowed.put(List.of(base + "/api/v1/hosts/" + WEB01 + "/netboot"), "POST");
    allowed.put(List.of(base + "/callback/" + WEB01 + "/" + "0".repeat(32)), "POST");
    allowed.put(List.of("-X", "POST", base + "/ks/" + WEB01 + "/x"), "GET, HEAD");
    allowed.put(List.of("-X", "PUT", base + "/images/vmlinuz"), "GET, HEAD");
    allowed.put(List.of("-X", "BREW", base + WEB01_PXE), "GET, HEAD");
    for (Map.Entry<List<String>, String> row : allowed.entrySet()) {
      Answer refused = fetch(row.getKey().toArray(String[]::new));
      assertThat(refused.status()).as("%s", row.getKey()).isEqualTo(405);
      assertThat(refused.header("Allow")).as("%s", row.getKey()).isEqualTo(row.getValue());
    }
    assertThat(curl(base + WEB01_PXE).out()).contains("DEFAULT install");
  }

  @Test
  void everyAnswerSaysNosniffAndNoServerVersion() throws Exception {
    start();
    Files.writeString(dir.resolve("root/hello.txt"), "hello\n");
    String ks = base + "/ks/" + WEB01 + "/" + token();
    String callback = base + "/callback/" + WEB01 + "/" + "0".repeat(32);
    List<List<String>> noStore =
        List.of(
            List.of(ks),
            List.of(base + "/ks/" + WEB01 + "/wrong"),
            List.of("-X", "POST", callback),
            List.of(base + "/api/v1/hosts"),
            List.of("-H", BEARER, base + "/api/v1/hosts"),
            List.of("-H", BEARER, base + "/api/v1/events"),
            List.of(base + WEB01_PXE));
    List<List<String>> others =
        List.of(
            List.of(base + "/hello.txt"),
            List.of(base + "/nosuch"),
            List.of("--path-as-is", base + "/a/%2e%2e/b"),
            List.of("-H", "X-Big: " + "a".repeat(20_000), base + "/hello.txt"),
            List.of("-X", "DELETE", base + "/hello.txt"));
    for (List<String> request : union(noStore, others)) {
      Answer answer = fetch(request.toArray(String[]::new));
      assertThat(answer.header("X-Content-Type-Options")).as("%s", request).isEqualTo("nosniff");
      assertThat(answer.header("Server")).as("%s", request).isNull();
      assertThat(answer.header("X-Powered-By")).as("%s", request).isNull();
      assertThat(answer.body()).as("%s", request).doesNotContain("Jetty", "Exception");
    }
    for (List<String> request : noStore) {
      assertThat(fetch(request.toArray(String[]::new)).header("Cache-Control"))
          .as("%s", request)
          .isEqualTo("no-store");
    }
  }

  private static <T> List<T> union(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void aLostDatabaseIsA503AndTheLogCarriesTheCause() throws Exception {
    start();
    state.close(); // the database gone: reading hosts fails inside the server
    Answer failed = fetch("-H", BEARER, base + "/api/v1/hosts");
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.body())
        .isEqualTo("the state database is unavailable; nothing was recorded, try again\n");
    assertThat(log)
        .anyMatch(
            l ->
                l.startsWith(
                    "http GET /api/v1/hosts from 127.0.0.1: 503, the state database is"
                        + " unavailable: "));
  }

  @Test
  void requestBodiesAreBoundedInSizeAndDecodedStrictly() throws Exception {
    start();
    String url = base + "/api/v1/hosts/" + WEB01 + "/netboot";
    String json = "Content-Type: application/json";
    Path invalid = dir.resolve("invalid.json");
    Files.write(invalid, "{\"enabled\": \"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    Answer notUtf8 = fetch("-H", BEARER, "-H", json, "--data-binary", "@" + invalid, url);
    assertThat(notUtf8.status()).isEqualTo(400);
    assertThat(notUtf8.body()).isEqualTo("request body: not UTF-8 at byte 13\n");

    byte[] random = new byte[100_000];
    new Random(16).nextBytes(random);
    Path large = dir.resolve("random.bin");
    Files.write(large, random);
    Answer tooLarge = fetch("-H", BEARER, "-H", json, "--data-binary", "@" + large, url);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.body()).isEqualTo("request body larger than 16384 bytes\n");
    Answer chunked =
        fetch(
            "-H",
            BEARER,
            "-H",
            json,
            "-H",
            "Transfer-Encoding: chunked",
            "--data-binary",
            "@" + large,
            url);
    assertThat(chunked.status()).isEqualTo(413);

    for (int seed = 0; seed < 20; seed++) {
      byte[] small = new byte[4000];
      new Random(seed).nextBytes(small);
      Files.write(large, small);
      Answer refused = fetch("-H", BEARER, "-H", json, "--data-binary", "@" + large, url);
      assertThat(refused.status()).as("seed %d", seed).isEqualTo(400);
      assertThat(refused.body()).as("seed %d", seed).startsWith("request body: not UTF-8 at byte");
    }

    assertThat(fetch("-H", BEARER, "-d", "{\"enabled\": true}", url).status()).isEqualTo(415);
    assertThat(
            fetch(
                    "-H",
                    BEARER,
                    "-H",
                    "Content-Type: application/json; charset=latin1",
                    "-d",
                    "{\"enabled\": true}",
                    url)
                .status())
        .isEqualTo(415);
    for (String body :
        List.of(
            "{\"enabled\": true, \"enabled\": false}",
            "{\"enabled\": true} trailing",
            "{\"enabled\": true, \"more\": 1}",
            "[".repeat(5000),
            "")) {
      Answer refused = fetch("-H", BEARER, "-H", json, "--data-binary", body, url);
      assertThat(refused.status()).as(body).isEqualTo(400);
      assertThat(refused.body()).as(body).isEqualTo("expected JSON {\"enabled\": true|false}\n");
    }
    assertThat(fetch("-H", BEARER, "-H", json, "-d", "{\"enabled\": false}", url).status())
        .isEqualTo(200);
  }
}
