package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.serve.Provisioner;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderCommandTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  private static final String WEB01 = "web01.lab.example.com";

  private record Run(int exit, String out, String err) {}

  private static Run render(Path dir, String... extra) {
    return render(dir, Clock.systemUTC(), extra);
  }

  private static Run render(Path dir, Clock clock, String... extra) {
    return render(dir, EXAMPLE, clock, extra);
  }

  private static Run render(Path dir, Path inventory, Clock clock, String... extra) {
    RenderCommand command = new RenderCommand();
    command.clock = clock;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    command.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    command.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    String[] args = new String[6 + extra.length];
    args[0] = "--inventory";
    args[1] = inventory.toString();
    args[2] = "--out";
    args[3] = dir.resolve("out").toString();
    args[4] = "--state";
    args[5] = KickdriftCli.initState(dir.resolve("state")).toString();
    System.arraycopy(extra, 0, args, 6, extra.length);
    int exit = new CommandLine(command).execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void rendersTheExampleAndMakesTheCallbackKeyPrivate(@TempDir Path dir) throws Exception {
    Run run = render(dir);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("rendered 3 hosts into ")
        .contains(": 28 files (28 written, 0 unchanged");
    assertThat(run.err()).isEmpty();
    assertThat(dir.resolve("out/kickstarts/web01.lab.example.com.ks")).exists();
    assertThat(Files.getPosixFilePermissions(dir.resolve("state/callback.key")))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }

  @Test
  void jsonCarriesTheSummaryAndTheInstallWindowsIssued(@TempDir Path dir) throws Exception {
    Run run = render(dir, "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("hosts").asInt()).isEqualTo(3);
    assertThat(doc.get("out").asText()).isEqualTo(dir.resolve("out").toString());
    assertThat(doc.get("files").asInt()).isEqualTo(28);
    assertThat(doc.get("written").asInt()).isEqualTo(28);
    assertThat(doc.get("unchanged").asInt()).isZero();
    assertThat(doc.get("millis").get("total").asLong()).isNotNegative();
    Run text = render(dir);
    assertThat(text.out()).contains(": 28 files (0 written, 28 unchanged");
    Matcher issued =
        Pattern.compile("install windows issued for (\\d+) hosts that netboot, until (\\S+)\n")
            .matcher(render(dir.resolve("text")).out());
    assertThat(issued.find()).as("a first render issues install windows").isTrue();
    assertThat(doc.get("install-windows-issued").asInt())
        .isEqualTo(Integer.parseInt(issued.group(1)))
        .isPositive();
    assertThat(doc.get("install-windows-until").asText()).endsWith("Z");
  }

  @Test
  void zoneFilesAreDatedByTheClockAndKeptWhileNothingChanges(@TempDir Path dir) throws Exception {
    // a day apart on the calendar, within the install windows the first render issues (4h)
    Clock monday = Clock.fixed(Instant.parse("2026-11-23T23:00:00Z"), ZoneOffset.UTC);
    Clock tuesday = Clock.fixed(Instant.parse("2026-11-24T01:00:00Z"), ZoneOffset.UTC);
    assertThat(render(dir, monday).exit()).isZero();
    Path lab = dir.resolve("out/dns/db.lab.example.com");
    assertThat(lab).content().contains(" 2026112300 3600 600 1209600 300\n");
    assertThat(dir.resolve("out/dns/db.dmz.example.com")).exists();
    assertThat(dir.resolve("out/dns/db.2.0.192.in-addr.arpa"))
        .content()
        .contains("140 IN PTR eth1.web02.lab.example.com.\n");

    Run again = render(dir, tuesday);

    assertThat(again.out()).contains("(0 written, 28 unchanged, 0 removed)");
    assertThat(lab).content().contains(" 2026112300 3600 600 1209600 300\n");
  }

  static Object inode(Path file) throws IOException {
    return Files.getAttribute(file, "unix:ino");
  }

  /** The hosts whose model did not change keep their files: the same inodes, not rendered. */
  @Test
  void onlyTheHostsWhoseModelChangedAreRenderedAgain(@TempDir Path dir) throws Exception {
    Path inventory = Files.copy(EXAMPLE, dir.resolve("inventory.yaml"));
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    Path out = dir.resolve("out");
    assertThat(render(dir, inventory, clock).out()).doesNotContain("unchanged since");
    Path web01 = out.resolve("kickstarts/" + WEB01 + ".ks");
    Path web02 = out.resolve("kickstarts/web02.lab.example.com.ks");
    Path ws01 = out.resolve("kickstarts/ws01.dmz.example.com.ks");
    Object web02Inode = inode(web02);
    Object ws01Inode = inode(ws01);

    Run same = render(dir, inventory, clock);
    assertThat(same.out())
        .contains("(0 written, 28 unchanged, 0 removed)")
        .contains("3 hosts unchanged since the last render");

    // one host's variable: that host only
    Files.writeString(
        inventory,
        Files.readString(inventory)
            .replace("role: frontend", "role: frontend\n      selinux: disabled"));
    Run one = render(dir, inventory, clock);
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(one.out()).contains("2 hosts unchanged since the last render");
    assertThat(web01).content().contains("selinux --disabled");
    assertThat(inode(web02)).isEqualTo(web02Inode);
    assertThat(inode(ws01)).isEqualTo(ws01Inode);

    // a variable of the profile both web hosts inherit: web02 only, since web01 sets its own
    Object web01Inode = inode(web01);
    Files.writeString(
        inventory,
        Files.readString(inventory).replace("selinux: enforcing", "selinux: permissive"));
    Run profile = render(dir, inventory, clock);
    assertThat(profile.out()).contains("2 hosts unchanged since the last render");
    assertThat(web02).content().contains("selinux --permissive");
    assertThat(inode(web01)).isEqualTo(web01Inode);
    assertThat(inode(ws01)).isEqualTo(ws01Inode);

    // --full renders every host; the bytes are the same, so the files are too
    Run full = render(dir, inventory, clock, "--full");
    assertThat(full.out())
        .doesNotContain("unchanged since")
        .contains("(0 written, 28 unchanged, 0 removed)");
  }

  @Test
  void aBrokenTemplateLeavesThePreviousTreeAsItWas(@TempDir Path dir) throws Exception {
    assertThat(render(dir).exit()).isZero();
    Path ks = dir.resolve("out/kickstarts/web01.lab.example.com.ks");
    String before = Files.readString(ks);
    Path link = Files.readSymbolicLink(dir.resolve("out"));

    Path templates = Files.createDirectories(dir.resolve("templates/snippets"));
    Files.writeString(templates.resolve("network.ftl"), "network [=nic.nosuch]\n");
    Run run = render(dir, "--templates", dir.resolve("templates").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("kickdrift render: template snippets/network.ftl line 1");
    assertThat(Files.readSymbolicLink(dir.resolve("out"))).isEqualTo(link);
    assertThat(ks).hasContent(before);
  }

  @Test
  void aTemplateLinkLeadingOutsideTheDirectoryIsOneLineNamingIt(@TempDir Path dir)
      throws Exception {
    Path templates = Files.createDirectories(dir.resolve("templates/snippets"));
    Path outside = Files.writeString(dir.resolve("outside.ftl"), "# not a template of ours\n");
    Path link = Files.createSymbolicLink(templates.resolve("sshkey.ftl"), outside);
    RenderCommand command = new RenderCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    command.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    command.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    StringWriter picocliErr = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setErr(new PrintWriter(picocliErr));
    int exit =
        cl.execute(
            "--inventory", EXAMPLE.toString(),
            "--out", dir.resolve("out").toString(),
            "--state", KickdriftCli.initState(dir.resolve("state")).toString(),
            "--templates", dir.resolve("templates").toString());
    String stderr = err.toString(StandardCharsets.UTF_8) + picocliErr;
    assertThat(exit).as(stderr).isEqualTo(2);
    assertThat(stderr.lines())
        .singleElement()
        .asString()
        .startsWith("kickdrift render: template ")
        .contains(link + " leads outside the template directory " + dir.resolve("templates"));
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aTemplateLinkInsideTheDirectoryIsFollowed(@TempDir Path dir) throws Exception {
    Path templates = Files.createDirectories(dir.resolve("templates/snippets"));
    Files.writeString(templates.resolve("site-keys.ftl"), "# site policy: no keys\n");
    Files.createSymbolicLink(templates.resolve("sshkey.ftl"), Path.of("site-keys.ftl"));
    Run run = render(dir, "--templates", dir.resolve("templates").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(dir.resolve("out/kickstarts/web01.lab.example.com.ks"))
        .content()
        .contains("# site policy: no keys\n")
        .doesNotContain("sshkey");
  }

  @Test
  void anInventoryErrorIsReportedWithItsPosition(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(EXAMPLE).replace("next-server:", "nxt-server:"));
    RenderCommand command = new RenderCommand();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    command.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit =
        new CommandLine(command)
            .execute("--inventory", bad.toString(), "--out", dir.resolve("out").toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .matches(
            "(?s)"
                + java.util.regex.Pattern.quote(bad.toString())
                + ":\\d+:\\d+: subnets\\[0\\]\\.nxt-server: unknown key.*");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  private static String ksToken(Path dir, String host, String menu) throws Exception {
    String text = Files.readString(dir.resolve("out").resolve(menu));
    Matcher m = Pattern.compile("/ks/" + Pattern.quote(host) + "/([0-9a-f]{32})").matcher(text);
    assertThat(m.find()).as("an install menu with a token:%n%s", text).isTrue();
    return m.group(1);
  }

  @Test
  void renderAndServeShareTheInstallWindowsAndTheirTokens(@TempDir Path dir) throws Exception {
    Run first = render(dir);
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("install windows issued for 2 hosts that netboot, until ");
    String token = ksToken(dir, WEB01, "pxelinux.cfg/01-52-54-00-12-34-01");
    assertThat(Files.readString(dir.resolve("out/kickstarts/" + WEB01 + ".ks")))
        .contains("/callback/" + WEB01 + "/" + token);

    // serve on the same state takes render's token (from web01's inventory address)
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"))) {
      Provisioner serve =
          new Provisioner(
              EXAMPLE,
              inv -> inv,
              CallbackTokens.load(dir.resolve("state/callback.key")),
              new TreeRenderer(new Templates(null)),
              state,
              Clock.systemUTC(),
              line -> {});
      assertThat(serve.kickstart(WEB01, token, InetAddress.getByName("192.0.2.21")).outcome())
          .isEqualTo(Provisioner.Outcome.OK);
    }
    // a second render reuses the window; after netboot enable, a new one
    Run again = render(dir);
    assertThat(again.out()).doesNotContain("install windows issued");
    assertThat(ksToken(dir, WEB01, "pxelinux.cfg/01-52-54-00-12-34-01")).isEqualTo(token);
    NetbootCommand enable = new NetbootCommand();
    enable.stdout = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    new CommandLine(enable)
        .execute(
            "enable",
            WEB01,
            "--inventory",
            EXAMPLE.toString(),
            "--state",
            dir.resolve("state").toString());
    render(dir);
    assertThat(ksToken(dir, WEB01, "pxelinux.cfg/01-52-54-00-12-34-01")).isNotEqualTo(token);
  }

  @Test
  void aHostWhoseInstallWindowPassedGetsLocalBootMenus(@TempDir Path dir) throws Exception {
    Instant monday = Instant.parse("2026-11-23T10:00:00Z");
    assertThat(render(dir, Clock.fixed(monday, ZoneOffset.UTC)).exit()).isZero();
    Path menu = dir.resolve("out/pxelinux.cfg/01-52-54-00-12-34-01");
    assertThat(menu).content().contains("DEFAULT install");
    Run later = render(dir, Clock.fixed(monday.plusSeconds(4 * 3600), ZoneOffset.UTC));
    assertThat(later.exit()).as(later.err()).isZero();
    assertThat(later.out()).doesNotContain("install windows issued");
    assertThat(menu).content().contains("DEFAULT local").doesNotContain("inst.ks");
    assertThat(dir.resolve("out/kickstarts/" + WEB01 + ".ks"))
        .content()
        .contains("/callback/" + WEB01 + "/no-install");
  }
}
