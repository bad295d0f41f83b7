package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.testkit.ScratchDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18's noise proof: a debootstrap root with server packages installed by apt in a chroot,
 * maintainer scripts run ({@code .ci/stock-root} builds it), scanned with the defaults, has no
 * finding; each kind of change a person makes to it is then found exactly once.
 */
class StockRootNoiseIT {
  private static final String SCRIPT = ".ci/stock-root";

  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-stock-it");

  static Path stock;
  static Path root;

  @BeforeAll
  static void copyStockRoot() throws Exception {
    Cmd.requireRoot("the stock root's files belong to its system accounts; cp -a keeps them");
    String configured = System.getenv("KICKDRIFT_STOCK_ROOT");
    stock =
        Path.of(
            configured != null && !configured.isBlank()
                ? configured
                : "/var/cache/kickdrift-test/stock-root");
    if (!Files.isRegularFile(stock.resolveSibling(stock.getFileName() + ".done"))) {
      fail(
          "no finished stock root at "
              + stock
              + " (its .done stamp is missing): run "
              + SCRIPT
              + " as root first (it needs debootstrap and deb.debian.org)");
    }
    root = scratch.path().resolve("root");
    Cmd.ok("cp", "-a", stock.toString(), root.toString());
  }

  private static JsonNode scan(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("scan", "--root", root.toString(), "--json"));
    args.add("--no-cache");
    args.addAll(List.of(extra));
    Cmd.Result r = Cmd.agent(args.toArray(String[]::new));
    assertThat(r.exit()).as("exit of scan %s: %s", args, r.err()).isIn(0, 1);
    return new ObjectMapper().readTree(r.out());
  }

  /** {@code status path} of each finding, in report order. */
  private static List<String> findings(JsonNode report) {
    List<String> out = new ArrayList<>();
    report
        .get("findings")
        .forEach(f -> out.add(f.get("status").asText() + " " + f.get("path").asText()));
    return out;
  }

  private static Path at(String abs) {
    return root.resolve(abs.substring(1));
  }

  private static void write(String abs, String text) throws IOException {
    Files.createDirectories(at(abs).getParent());
    Files.writeString(at(abs), text, StandardCharsets.UTF_8);
  }

  private static void append(String abs, String text) throws IOException {
    Files.writeString(at(abs), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  @Test
  void stockRootIsQuietAndEveryHumanChangeIsFoundOnce() throws Exception {
    JsonNode quiet = scan();
    assertThat(findings(quiet))
        .as("default scan of the stock root %s:\n%s", stock, quiet)
        .isEmpty();
    assertThat(quiet.get("stats").get("classified").asLong())
        .as("what maintainer scripts made is classified, not gone")
        .isGreaterThan(100);
    JsonNode all = scan("--all");
    assertThat(findings(all)).as("--all scan of the stock root:\n%s", all).isEmpty();

    // A person's changes, one of each kind.
    append("/etc/nginx/nginx.conf", "# tuned by ops\n"); // edited conffile
    append("/etc/ssh/sshd_config", "PermitRootLogin no\n"); // edited ucf-managed file
    write("/etc/myapp.conf", "port = 8080\n"); // added file in /etc
    Cmd.ok("chmod", "600", at("/etc/logrotate.conf").toString()); // chmod
    Cmd.ok("chown", "1:1", at("/etc/rsyslog.conf").toString()); // chown
    Files.delete(at("/etc/apache2/ports.conf")); // deleted conffile
    write("/usr/bin/logger", "#!/bin/sh\necho replaced\n"); // replaced binary (--all)
    write("/etc/systemd/system/myapp.service", "[Service]\nExecStart=/usr/bin/true\n"); // unit
    Files.createSymbolicLink( // enabled by hand: no deb-systemd-helper record
        at("/etc/systemd/system/multi-user.target.wants/myapp.service"),
        Path.of("/etc/systemd/system/myapp.service"));
    Files.delete(at("/etc/systemd/system/multi-user.target.wants/cron.service")); // disabled
    write("/etc/cron.d/backup", "0 3 * * * root /usr/local/bin/backup\n"); // cron job
    write("/etc/sudoers.d/ops", "%ops ALL=(ALL) NOPASSWD: ALL\n"); // sudoers.d drop-in
    write( // unit override
        "/etc/systemd/system/nginx.service.d/override.conf", "[Service]\nLimitNOFILE=65536\n");
    append("/etc/passwd", "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"); // a person's account
    Files.delete(at("/etc/rc2.d/S01nginx")); // rc link removed by hand
    append("/etc/default/named", "OPTIONS=\"-u bind -4\"\n"); // changed /etc/default file
    write("/etc/apt/sources.list.d/extra.list", "deb http://example.org/debian bookworm main\n");
    Files.writeString(at("/etc/motd"), "Authorised use only\n"); // edited copy of a template

    List<String> expected =
        List.of(
            "missing /etc/apache2/ports.conf",
            "unowned /etc/apt/sources.list.d/extra.list",
            "unowned /etc/cron.d/backup",
            "modified /etc/default/named",
            "modified /etc/logrotate.conf",
            "unowned /etc/motd",
            "unowned /etc/myapp.conf",
            "modified /etc/nginx/nginx.conf",
            "unowned /etc/passwd",
            "missing /etc/rc2.d/S01nginx",
            "modified /etc/rsyslog.conf",
            "modified /etc/ssh/sshd_config",
            "unowned /etc/sudoers.d/ops",
            "missing /etc/systemd/system/multi-user.target.wants/cron.service",
            "unowned /etc/systemd/system/multi-user.target.wants/myapp.service",
            "unowned /etc/systemd/system/myapp.service",
            "unowned /etc/systemd/system/nginx.service.d/override.conf");
    JsonNode seeded = scan();
    assertThat(findings(seeded))
        .as("seeded default scan:\n%s", seeded)
        .containsExactlyElementsOf(expected);
    assertThat(problems(seeded, "/etc/logrotate.conf")).containsExactly("mode");
    assertThat(problems(seeded, "/etc/rsyslog.conf")).containsExactly("owner", "group");
    assertThat(problems(seeded, "/etc/nginx/nginx.conf")).contains("content");
    seeded.get("findings").forEach(f -> assertThat(f.has("origin")).as("%s", f).isFalse());

    List<String> withBinary = new ArrayList<>(expected);
    withBinary.add("modified /usr/bin/logger");
    JsonNode seededAll = scan("--all");
    assertThat(findings(seededAll))
        .as("seeded --all scan:\n%s", seededAll)
        .containsExactlyInAnyOrderElementsOf(withBinary);
  }

  private static List<String> problems(JsonNode report, String path) {
    List<String> out = new ArrayList<>();
    report
        .get("findings")
        .forEach(
            f -> {
              if (f.get("path").asText().equals(path)) {
                f.get("problems").forEach(p -> out.add(p.asText()));
              }
            });
    return out;
  }
}
