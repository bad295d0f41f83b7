package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.server.loaders.Manifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code loaders} options and errors, and {@code render --loaders}. */
class LoadersCommandTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  private record Run(int exit, String out, String err) {}

  private static Run run(Object command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    if (command instanceof LoadersCommand l) {
      l.stdout = o;
      l.stderr = e;
    } else if (command instanceof RenderCommand r) {
      r.stdout = o;
      r.stderr = e;
    }
    int exit = new CommandLine(command).execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<String> grubMenus(Path out) throws Exception {
    try (Stream<Path> files = Files.list(out.resolve("grub"))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("grub.cfg-01-"))
          .map(
              f -> {
                try {
                  return Files.readString(f);
                } catch (java.io.IOException x) {
                  throw new java.io.UncheckedIOException(x);
                }
              })
          .toList();
    }
  }

  private static Path manifest(Path dir, String grubLinux) throws Exception {
    Manifest m =
        new Manifest(
            1,
            List.of(
                new Manifest.Entry(
                    "grubx64.efi", "/x", "grub2-efi-x64", "2.02-1", "ab", 2, null, grubLinux)));
    Path file = dir.resolve("loaders-" + grubLinux + ".json");
    Files.write(file, m.toJson());
    return file;
  }

  private Run render(Path dir, String name, String... extra) {
    String[] args =
        Stream.concat(
                Stream.of(
                    "--inventory", EXAMPLE.toString(),
                    "--out", dir.resolve(name).toString(),
                    "--state", KickdriftCli.initState(dir.resolve("state")).toString()),
                Stream.of(extra))
            .toArray(String[]::new);
    return run(new RenderCommand(), args);
  }

  @Test
  void renderTakesTheGrubCommandFromTheLoadersManifest(@TempDir Path dir) throws Exception {
    Run guessed = render(dir, "guessed");
    assertThat(guessed.exit()).as(guessed.err()).isZero();
    assertThat(String.join("", grubMenus(dir.resolve("guessed"))))
        .contains("  linux ")
        .doesNotContain("linuxefi");

    Run efi = render(dir, "efi", "--loaders", manifest(dir, "linuxefi").toString());
    assertThat(efi.exit()).as(efi.err()).isZero();
    String menus = String.join("", grubMenus(dir.resolve("efi")));
    assertThat(menus).contains("  linuxefi ").contains("  initrdefi ").doesNotContain("  linux ");
  }

  @Test
  void renderRefusesABadManifestNamingIt(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.json"), "not json");
    Run r = render(dir, "out", "--loaders", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("kickdrift render: " + bad + ": not a loaders manifest");
  }

  @Test
  void anUnknownOsIsAnErrorNamingOsRelease(@TempDir Path dir) throws Exception {
    Path system = Files.createDirectories(dir.resolve("system/etc"));
    Files.writeString(system.resolve("os-release"), "ID=arch\n");
    Run r =
        run(
            new LoadersCommand(),
            "--out",
            dir.resolve("tftp").toString(),
            "--system-root",
            dir.resolve("system").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "kickdrift loaders: "
                + system.resolve("os-release")
                + ": ID and ID_LIKE name no known family; expected debian, ubuntu, rhel, fedora,"
                + " centos, rocky or almalinux\n");
  }

  @Test
  void jsonGivesOutcomesAndCounts(@TempDir Path dir) throws Exception {
    Path system = Files.createDirectories(dir.resolve("system/etc"));
    Files.writeString(system.resolve("os-release"), "ID=rocky\nID_LIKE=\"rhel fedora\"\n");
    Path tftp = dir.resolve("tftp");
    Run r =
        run(
            new LoadersCommand(),
            "--out",
            tftp.toString(),
            "--system-root",
            dir.resolve("system").toString(),
            "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.path("counts").path("missing").asInt()).isEqualTo(11);
    assertThat(doc.path("outcomes").get(0).path("message").asText())
        .isEqualTo("pxelinux.0 — dnf install syslinux-tftpboot");
    assertThat(Manifest.readIn(tftp).orElseThrow().files()).isEmpty();
  }
}
