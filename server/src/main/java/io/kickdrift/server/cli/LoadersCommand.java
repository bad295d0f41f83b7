package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.server.loaders.Loaders;
import io.kickdrift.server.loaders.Manifest;
import io.kickdrift.server.loaders.OsFamily;
import io.kickdrift.server.loaders.PackageOwner;
import io.kickdrift.server.loaders.ProcessRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift loaders --out TFTPROOT}: copies the boot programs of this server's packages
 * where the rendered menus expect them and records them in {@code kickdrift-loaders.json}. Its help
 * text is in {@code LoadersCommand.properties}.
 */
@Command(name = "loaders", mixinStandardHelpOptions = true)
final class LoadersCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Option(names = "--force")
  boolean force;

  @Option(names = "--build-grub")
  boolean buildGrub;

  @Mixin JsonOption json = new JsonOption();

  @Option(names = "--system-root", paramLabel = "DIR")
  Path systemRoot = Path.of("/");

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    try {
      OsFamily family = family(systemRoot.resolve("etc/os-release"));
      Loaders.Result result =
          new Loaders(new PackageOwner(family, new ProcessRunner()))
              .run(new Loaders.Settings(out, systemRoot, family, force, buildGrub));
      if (json.on()) {
        printJson(result);
      } else {
        printText(result);
      }
      return result.complete() ? 0 : 1;
    } catch (IOException e) {
      return Failed.report("loaders", e, stderr::println);
    }
  }

  static OsFamily family(Path osRelease) throws IOException {
    String text = Files.readString(osRelease, StandardCharsets.UTF_8);
    return OsFamily.fromOsRelease(text)
        .orElseThrow(
            () ->
                new IOException(
                    osRelease
                        + ": ID and ID_LIKE name no known family; expected debian, ubuntu, rhel,"
                        + " fedora, centos, rocky or almalinux"));
  }

  private void printText(Loaders.Result result) {
    for (Loaders.Outcome o : result.outcomes()) {
      String status = o.status().name().toLowerCase(java.util.Locale.ROOT);
      switch (o.status()) {
        case MISSING, REFUSED -> stdout.println(status + ": " + o.message());
        default -> {
          Manifest.Entry e = o.entry();
          stdout.printf(
              "%s %s  %s %s  sha256 %s%n",
              status, o.target(), e.pkg(), e.version() == null ? "?" : e.version(), e.sha256());
        }
      }
    }
    long unchanged = result.count(Loaders.Status.UNCHANGED);
    stdout.printf(
        "%s: %d copied (%d built), %d unchanged, %d refused, %d missing%s%n",
        out.resolve(Manifest.NAME),
        result.count(Loaders.Status.COPIED, Loaders.Status.BUILT),
        result.count(Loaders.Status.BUILT),
        unchanged,
        result.count(Loaders.Status.REFUSED),
        result.count(Loaders.Status.MISSING),
        unchanged == result.outcomes().size() && !result.manifestWritten()
            ? "; nothing changed"
            : "");
  }

  private void printJson(Loaders.Result result) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("root", out.toString());
    doc.put("outcomes", result.outcomes());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Loaders.Status s : Loaders.Status.values()) {
      counts.put(s.name().toLowerCase(java.util.Locale.ROOT), result.count(s));
    }
    doc.put("counts", counts);
    doc.put("manifestWritten", result.manifestWritten());
    stdout.println(JsonOption.text(doc));
  }
}
