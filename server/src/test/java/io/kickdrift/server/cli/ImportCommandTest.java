package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ImportCommand c = new ImportCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    c.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    c.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    c.terminal = false;
    int exit = new CommandLine(c).execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void registeredAsImport() {
    assertThat(KickdriftMain.commandLine().getSubcommands()).containsKey("import");
  }

  @Test
  void optionProblemsAreExitTwo(@TempDir Path dir) {
    assertThat(run("--name", "a/b", "--from", dir.toString(), "--print").err())
        .contains("--name 'a/b': expected letters, digits");
    Run noTarget = run("--name", "a", "--from", dir.toString());
    assertThat(noTarget.exit()).isEqualTo(2);
    assertThat(noTarget.err()).contains("give --inventory FILE");
    assertThat(run("--name", "a", "--from", dir.resolve("nope").toString(), "--print").err())
        .contains("not a directory or an http(s) URL");
  }

  @Test
  void anUnknownLayoutIsExitOne(@TempDir Path dir) {
    Run run =
        run(
            "--name",
            "x",
            "--from",
            dir.toString(),
            "--print",
            "--install-tree",
            "http://h/x",
            "--root",
            dir.resolve("root").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("no .treeinfo and no netboot layout");
    assertThat(dir.resolve("root")).doesNotExist();
  }

  private static String tree(String name) {
    return "--install-tree=http://h/" + name;
  }

  /** An Ubuntu live ISO's layout: casper/vmlinuz, casper/initrd, .disk/info naming 24.04.1. */
  private static Path ubuntuLiveIso(Path dir) throws java.io.IOException {
    Path iso = dir.resolve("iso");
    Files.createDirectories(iso.resolve("casper"));
    Files.createDirectories(iso.resolve(".disk"));
    Files.write(iso.resolve("casper/vmlinuz"), new byte[] {1, 2, 3});
    Files.write(iso.resolve("casper/initrd"), new byte[] {4, 5});
    Files.writeString(
        iso.resolve(".disk/info"), "Ubuntu-Server 24.04.1 LTS \"Noble Numbat\" - Release amd64");
    return iso;
  }

  @Test
  void ubuntuLiveIsoLayoutTakesItsVersionFromDiskInfo(@TempDir Path dir) throws Exception {
    Path iso = ubuntuLiveIso(dir);
    Run run =
        run(
            "--name",
            "noble",
            "--from",
            iso.toString(),
            "--print",
            "--install-tree",
            "http://h/noble",
            "--root",
            dir.resolve("root").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("family: ubuntu\n").contains("version: \"24.04.1\"\n");
    assertThat(Files.readAllBytes(dir.resolve("root/distros/noble/initrd.img")))
        .containsExactly(4, 5);
  }

  @Test
  void jsonCarriesWhatTheTextSaysFieldByField(@TempDir Path dir) throws Exception {
    Path iso = ubuntuLiveIso(dir);
    String root = dir.resolve("root").toString();
    Run run =
        run("--json", "--name=noble", "--from=" + iso, "--print", "--root=" + root, tree("noble"));
    assertThat(run.exit()).as(run.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
    assertThat(doc.get("name").asText()).isEqualTo("noble");
    assertThat(doc.get("family").asText()).isEqualTo("ubuntu");
    assertThat(doc.get("version").asText()).isEqualTo("24.04.1");
    assertThat(doc.get("files")).hasSize(2);
    assertThat(doc.get("inventory-change").isNull()).isTrue();
    assertThat(doc.get("entry").asText()).contains("family: ubuntu\n");
  }

  @Test
  void importHelpExitsZero() {
    assertThat(KickdriftMain.commandLine().execute("import", "--help")).isZero();
  }

  @Test
  void ubuntuNetbootWithoutVersionNeedsTheOption(@TempDir Path dir) throws Exception {
    Path tree = dir.resolve("netboot");
    Files.createDirectories(tree.resolve("amd64"));
    Files.write(tree.resolve("amd64/linux"), new byte[] {1});
    Files.write(tree.resolve("amd64/initrd"), new byte[] {2});
    String[] base = {
      "--name",
      "u",
      "--from",
      tree.toString(),
      "--print",
      "--install-tree",
      "http://h/u",
      "--root",
      dir.resolve("root").toString()
    };
    Run without = run(base);
    assertThat(without.exit()).isEqualTo(2);
    assertThat(without.err()).contains("(amd64) does not say its version; give --version");
    String[] with = java.util.Arrays.copyOf(base, base.length + 2);
    with[base.length] = "--version";
    with[base.length + 1] = "22.04";
    Run run = run(with);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("family: ubuntu\n").contains("version: \"22.04\"\n");
  }

  @Test
  void progressLinesForLogsAndABarOnATerminal() {
    AtomicLong now = new AtomicLong();
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    DownloadProgress log =
        new DownloadProgress(new PrintStream(plain, true, StandardCharsets.UTF_8), false, now::get);
    log.started("http://m/t/images/pxeboot/initrd.img", 5_000_000, 2_000_000);
    log.advanced(3_000_000);
    now.set(2_000_000_000L);
    log.finished();
    assertThat(plain.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "http://m/t/images/pxeboot/initrd.img: resuming at 2.0 MB\n"
                + "initrd.img: 5.0 MB in 2.0 s (1.5 MB/s), resumed at 2.0 MB\n");

    ByteArrayOutputStream tty = new ByteArrayOutputStream();
    now.set(0);
    DownloadProgress bar =
        new DownloadProgress(new PrintStream(tty, true, StandardCharsets.UTF_8), true, now::get);
    bar.started("/iso/images/pxeboot/vmlinuz", 10_000, 0);
    now.set(1_000_000_000L);
    bar.advanced(5_000);
    assertThat(tty.toString(StandardCharsets.UTF_8))
        .endsWith("\r[###############...............] vmlinuz 5.0 kB / 10.0 kB, 5.0 kB/s");
    assertThat(DownloadProgress.size(999)).isEqualTo("999 B");
    assertThat(DownloadProgress.size(8_222_656)).isEqualTo("8.2 MB");
  }
}
