package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.guard.PlainWords;
import io.kickdrift.testkit.OpenSshd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each way a person commonly gets a command wrong, run through the real command line: the exit code
 * says bad input, the message names the place (file:line:col, URL, host:port, option), and it holds
 * no "null", Java class name or parser jargon.
 */
class ErrorMessagesTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  @TempDir static Path d;
  private static MirrorServer mirror;
  private static Path key;
  private static Path loopback;

  private record Case(String what, List<String> args, int exit, String place) {}

  private record Run(int exit, String text) {}

  @BeforeAll
  static void files() throws Exception {
    mirror = new MirrorServer(); // serves nothing: every path, .treeinfo too, is a 404
    Files.createDirectories(d.resolve("tree"));
    KickdriftCli.initState(d.resolve("state"));
    Files.createDirectories(d.resolve("scanroot"));
    Files.createDirectories(d.resolve("not-a-repo"));
    Map<String, String> files =
        Map.of(
            "not-a-repo/notes.txt", "hello\n",
            "indent.yaml", "hosts:\n  - name: web01\n     profile: web\n",
            "tab.yaml", "hosts:\n\t- name: web01\n",
            "unclosed.yaml", "hosts: [web01\n",
            "broken.json", "{\"hosts\": [}\n",
            "loaders.json", "{files: []}\n");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(d.resolve(f.getKey()), f.getValue());
    }
    loopback =
        Files.writeString(
            d.resolve("loopback.yaml"),
            "distros:\n  - {name: d, family: rocky, version: \"9\", kernel: k, initrd: i,"
                + " install-tree: http://192.0.2.1/t}\n"
                + "subnets:\n  - {network: 127.0.0.0/8}\n"
                + "profiles:\n  - {name: p, distro: d}\n"
                + "hosts:\n  - name: web01\n    profile: p\n"
                + "    interfaces:\n      - {name: eth0, mac: \"52:54:00:00:00:01\", ip: 127.0.0.1}\n"
                // Port 1 on loopback: nothing listens there, the connection is refused.
                + "    ssh: {port: 1}\n");
    key = d.resolve("id_ed25519");
    OpenSshd.keygen(key);
  }

  @AfterAll
  static void stop() throws java.io.IOException {
    mirror.close();
  }

  private static String at(String name) {
    return d.resolve(name).toString();
  }

  private static List<Case> cases() {
    String tree = at("tree");
    String fleet = "fleet scan --inventory " + loopback + " --known-hosts " + at("kh");
    fleet += " --agent-jar " + key + ".pub --repo ";
    String served = " --name x --print --root " + at("served") + " --from ";
    // docs/import.md: exit 1 is a problem with the tree, nothing changed.
    return List.of(
        new Case(
            "import from a directory without .treeinfo",
            split("import --install-tree http://192.0.2.1/t" + served + tree),
            1,
            tree),
        new Case(
            "import from a URL without .treeinfo",
            split("import" + served + mirror.url("tree")),
            1,
            mirror.url("tree")),
        new Case(
            "import from a URL nobody answers",
            split("import" + served + "http://127.0.0.1:1/t"),
            2,
            "http://127.0.0.1:1/t"),
        hosts("a YAML indentation error", "indent.yaml", ":3:13:"),
        hosts("a tab in YAML", "tab.yaml", ":"),
        hosts("an unclosed YAML list", "unclosed.yaml", ":1:14:"),
        hosts("a JSON syntax error", "broken.json", ":1:12:"),
        hosts("a missing inventory", "none.yaml", ": no such file"),
        render("a missing templates directory", "--templates", "no-templates"),
        render("a missing loaders manifest", "--loaders", "none.json"),
        render("a loaders manifest that is not JSON", "--loaders", "loaders.json"),
        new Case(
            "a missing SSH key",
            split(fleet + at("repo") + " --identity " + at("no-key")),
            2,
            at("no-key")),
        new Case(
            "a repository that is not a git repository",
            split(fleet + at("not-a-repo") + " --identity " + key),
            2,
            at("not-a-repo")),
        new Case(
            "an unreachable SSH host",
            split(fleet + at("repo") + " --identity " + key),
            2,
            "127.0.0.1:1"),
        new Case(
            "a bad duration",
            split("dns sync --dry-run --timeout 10q --inventory " + EXAMPLE),
            2,
            "--timeout"),
        new Case(
            "a scan root that does not exist",
            split("scan --root " + at("no-root")),
            2,
            at("no-root")),
        new Case(
            "a scan root without a package database",
            split("scan --root " + at("scanroot")),
            2,
            at("scanroot")));
  }

  /** {@code hosts} on an inventory in the scratch directory; the place is the file, then more. */
  private static Case hosts(String what, String file, String then) {
    return new Case(
        what,
        split("hosts --state " + at("state") + " --inventory " + at(file)),
        2,
        at(file) + then);
  }

  /** {@code render} of the example with {@code option} naming a file in the scratch directory. */
  private static Case render(String what, String option, String file) {
    String base = "render --inventory " + EXAMPLE + " --out " + at("out");
    return new Case(
        what, split(base + " --state " + at("state") + " " + option + " " + at(file)), 2, at(file));
  }

  private static List<String> split(String line, String... more) {
    List<String> args = new ArrayList<>(List.of(line.split(" ")));
    args.addAll(List.of(more));
    return args;
  }

  @TestFactory
  Stream<DynamicTest> eachMistakeIsExplained() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.what(), () -> check(c, run(c))));
  }

  /** The TFTP and HTTP ports taken by another program: serve names the port and what to do. */
  @TestFactory
  Stream<DynamicTest> aPortInUseIsExplained() {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Function<Integer, List<String>> serve =
        port ->
            split(
                "serve --inventory "
                    + EXAMPLE
                    + " --bind 127.0.0.1 --no-dns-sync --state "
                    + at("serve-state")
                    + " --root "
                    + at("serve-root")
                    + " --tftp-port "
                    + port
                    + " --http-port "
                    + port);
    return Stream.of(
        DynamicTest.dynamicTest(
            "tftp",
            () -> {
              try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                int port = taken.getLocalPort();
                check(new Case("tftp", serve.apply(port), 2, "udp 127.0.0.1:" + port), null);
              }
            }),
        DynamicTest.dynamicTest(
            "http",
            () -> {
              try (ServerSocket taken = new ServerSocket()) {
                taken.bind(new InetSocketAddress(lo, 0));
                int port = taken.getLocalPort();
                // The same number is free for UDP: TFTP starts, then HTTP cannot.
                check(new Case("http", serve.apply(port), 2, "tcp 127.0.0.1:" + port), null);
              }
            }));
  }

  private static void check(Case c, Run given) {
    Run r = given == null ? run(c) : given;
    assertThat(r.exit()).as("exit of %s: %s", c.args(), r.text()).isEqualTo(c.exit());
    assertThat(r.text()).as("the place").contains(c.place());
    assertThat(PlainWords.jargonIn(r.text())).as("jargon in:\n%s", r.text()).isEmpty();
  }

  /** Runs the command in this JVM; what it writes to either stream is the text. */
  private static synchronized Run run(Case c) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(all, true, StandardCharsets.UTF_8);
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(both);
    System.setErr(both);
    try {
      CommandLine cl = KickdriftMain.commandLine();
      cl.setOut(new PrintWriter(both, true));
      cl.setErr(new PrintWriter(both, true));
      int exit = cl.execute(c.args().toArray(String[]::new));
      both.flush();
      return new Run(exit, all.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
