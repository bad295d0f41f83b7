package io.kickdrift.server.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.agent.state.NoStateException;
import io.kickdrift.server.distros.ImportException;
import io.kickdrift.server.distros.Install;
import io.kickdrift.server.distros.InventoryText;
import io.kickdrift.server.distros.InventoryUpdate;
import io.kickdrift.server.distros.Layout;
import io.kickdrift.server.distros.TreeSource;
import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.InventoryException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift import --name NAME --from DIR|URL}: copies an install tree's kernel and initrd
 * into the served root and adds the distro to the inventory.
 *
 * <pre>
 * kickdrift import --name rocky9 --from http://mirror.example/rocky/9/BaseOS/x86_64/os \
 *     --inventory site.yaml
 * </pre>
 *
 * <p>Its help text is in {@code ImportCommand.properties}.
 */
@Command(name = "import")
final class ImportCommand implements Callable<Integer> {
  // Its own help option: --version is the OS version here, so picocli's standard -h/-V pair,
  // whose --version collides, is not mixed in (and with it went --help).
  @Option(
      names = {"-h", "--help"},
      usageHelp = true)
  boolean help;

  @Option(names = "--name", required = true, paramLabel = "NAME")
  String name;

  @Option(names = "--from", required = true, paramLabel = "DIR|URL")
  String from;

  @Option(names = "--inventory", paramLabel = "FILE")
  Path inventory;

  @Option(names = "--root", paramLabel = "DIR")
  Path root;

  @Mixin StateOption state = new StateOption();

  @Mixin JsonOption json = new JsonOption();

  @Option(names = "--print")
  boolean print;

  @Option(names = "--replace")
  boolean replace;

  @Option(names = "--version", paramLabel = "VERSION")
  String version;

  @Option(names = "--install-tree", paramLabel = "URL")
  String installTree;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;
  boolean terminal = System.console() != null;
  HttpClient client;

  @Override
  public Integer call() {
    if (!InventoryText.validName(name)) {
      return error("--name '" + name + "': expected letters, digits, '.', '_' or '-'");
    }
    if (inventory == null && !print) {
      return error("give --inventory FILE to add the distro to, or --print to print its entry");
    }
    boolean url = TreeSource.isUrl(from);
    if (!url && !Files.isDirectory(Path.of(from))) {
      return error("--from " + from + ": not a directory or an http(s) URL");
    }
    String tree = installTree != null ? installTree : url ? from : null;
    if (tree == null) {
      return error(
          "--from "
              + from
              + " is a directory: give --install-tree URL, where machines will find this tree"
              + " over the network");
    }
    Path served;
    try {
      served = root != null ? root : state.existing().servedRoot();
    } catch (NoStateException e) {
      return error(e.getMessage());
    }
    InventoryUpdate update = null;
    try {
      TreeSource source = TreeSource.of(from, client != null ? client : newClient());
      Layout layout = Layout.detect(source);
      String v = version != null ? version : layout.version().orElse(null);
      if (v == null) {
        return error(
            source.location("")
                + ": the tree ("
                + layout.layout()
                + ") does not say its version; give --version");
      }
      String dir = Install.dir(name);
      Distro distro =
          new Distro(
              name,
              layout.family(),
              v,
              layout.arch(),
              dir + "/vmlinuz",
              dir + "/initrd.img",
              tree,
              null);
      boolean editing = inventory != null && !print;
      Optional<InventoryUpdate> prepared =
          editing ? InventoryUpdate.prepare(inventory, distro, replace) : Optional.empty();
      update = prepared.orElse(null);
      String from = layout.checksumsFrom().orElse("");
      for (String[] f :
          List.of(
              new String[] {layout.kernel(), layout.kernelSum().isPresent() ? "y" : ""},
              new String[] {layout.initrd(), layout.initrdSum().isPresent() ? "y" : ""})) {
        if (!f[1].isEmpty()) {
          continue;
        }
        if (from.isEmpty()) {
          stderr.println(
              "kickdrift import: note: the tree has no checksum for "
                  + f[0]
                  + "; it is copied unverified (no SHA256SUMS at "
                  + String.join(" or ", layout.searched())
                  + ")");
        } else if (layout.layout().equals(".treeinfo")) {
          stderr.println(
              "kickdrift import: note: the tree has no checksum for "
                  + f[0]
                  + "; it is copied unverified");
        } else {
          stderr.println(
              "kickdrift import: warning: "
                  + from
                  + " has no entry for "
                  + f[0]
                  + "; it is copied unverified");
        }
      }
      List<Path> installed =
          Install.install(
              source,
              served,
              name,
              List.of(
                  new Install.Part(layout.kernel(), "vmlinuz", layout.kernelSum(), from),
                  new Install.Part(layout.initrd(), "initrd.img", layout.initrdSum(), from)),
              new DownloadProgress(stderr, terminal, System::nanoTime));
      List<String> verified = new java.util.ArrayList<>();
      layout.kernelSum().ifPresent(c -> verified.add("vmlinuz"));
      layout.initrdSum().ifPresent(c -> verified.add("initrd.img"));
      if (json.on()) {
        String change = null;
        if (update != null) {
          update.commit();
          change = "added";
        } else if (!print) {
          change = "unchanged";
        }
        stdout.println(
            JsonOption.text(
                new Imported(
                    name,
                    distro.family().id(),
                    v,
                    distro.arch(),
                    layout.layout(),
                    installed.stream().map(Path::toString).toList(),
                    verified,
                    from.isEmpty() ? null : from,
                    print ? null : inventory.toString(),
                    change,
                    print ? InventoryText.entry(distro, "  ") : null)));
        return 0;
      }
      if (!verified.isEmpty()) {
        stdout.println(String.join(" and ", verified) + " verified against " + from);
      }
      String what =
          name
              + " ("
              + distro.family().id()
              + " "
              + v
              + " "
              + distro.arch()
              + ", "
              + layout.layout()
              + ")";
      stdout.println("imported " + what + ": " + installed.get(0) + ", " + installed.get(1));
      if (print) {
        stdout.print(InventoryText.entry(distro, "  "));
      } else if (update != null) {
        update.commit();
        stdout.println(inventory + ": added distro " + name);
      } else {
        stdout.println(inventory + ": already has this distro " + name + ", unchanged");
      }
      return 0;
    } catch (ImportException e) {
      stderr.println("kickdrift import: " + ErrorText.of(e));
      return 1;
    } catch (InventoryException e) {
      return Failed.report("import", e, stderr::println);
    } catch (IOException e) {
      stderr.println(
          "kickdrift import: "
              + ErrorText.of(e)
              + (partsLeft(served) ? " (a partial download is kept; run again to resume)" : ""));
      return 2;
    } finally {
      if (update != null) {
        try {
          update.discard();
        } catch (IOException e) {
          stderr.println("kickdrift import: " + ErrorText.of(e));
        }
      }
    }
  }

  private boolean partsLeft(Path served) {
    Path dir = served.resolve(Install.dir(name));
    return Files.exists(dir.resolve(".vmlinuz.part"))
        || Files.exists(dir.resolve(".initrd.img.part"));
  }

  private int error(String message) {
    stderr.println("kickdrift import: " + message);
    return 2;
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(20))
        .build();
  }

  /**
   * What {@code --json} prints: the lines of the text, field by field. {@code inventory-change} is
   * {@code added} or {@code unchanged} (null with {@code --print}, which fills {@code entry}).
   */
  record Imported(
      String name,
      String family,
      String version,
      String arch,
      String layout,
      List<String> files,
      List<String> verified,
      @JsonProperty("checksums-from") String checksumsFrom,
      String inventory,
      @JsonProperty("inventory-change") String inventoryChange,
      String entry) {}
}
