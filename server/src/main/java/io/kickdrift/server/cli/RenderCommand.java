package io.kickdrift.server.cli;

import io.kickdrift.server.dns.ZoneFiles;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.loaders.Manifest;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.OutputTree;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.SiteModel;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kickdrift render}: the inventory to a complete tree of kickstarts, menus and configs. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Renders kickstarts, boot menus (pxelinux, GRUB, iPXE) and DHCP configs (ISC dhcpd, Kea,"
          + " dnsmasq) for every host of the inventory, and with a dns section the forward and"
          + " reverse zone files (dns/db.ZONE), into a new tree, then swaps it in"
          + " atomically. A failed render leaves the previous tree untouched; unchanged files keep"
          + " their mtime.",
      "Exit status: 0 rendered, 2 error (the inventory, a template or the output directory)."
    })
public final class RenderCommand implements Callable<Integer> {
  @Option(
      names = "--inventory",
      required = true,
      paramLabel = "FILE",
      description = "The inventory (YAML, or JSON when named *.json).")
  Path inventory;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The tree to replace; kept as a link to the newest generation.")
  Path out;

  @Option(
      names = "--templates",
      paramLabel = "DIR",
      description = "Templates here replace built-in ones of the same name (e.g. rhel9.ks.ftl).")
  Path templates;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "The server's state directory, holding the key for per-host callback tokens"
              + " (default $KICKDRIFT_STATE, else ~/.local/state/kickdrift).")
  Path state;

  @Option(
      names = "--loaders",
      paramLabel = "FILE",
      description =
          "A loaders manifest (kickdrift-loaders.json from kickdrift loaders): its GRUB decides"
              + " linux or linuxefi in the GRUB menus of distros without grub-linux.")
  Path loaders;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  /** Dates the zone files' SOA serials (YYYYMMDDnn, in UTC). */
  Clock clock = Clock.systemUTC();

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  /**
   * The text of {@code path} in the tree {@code out} links to now, if it is there. Bytes that are
   * not UTF-8 come back replaced, so such a file never matches a new render and is rewritten.
   */
  static Optional<String> previous(Path out, String path) {
    Path file = out.resolve(path);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() {
    long start = System.nanoTime();
    try {
      Inventory loaded = InventoryLoader.load(inventory, stderr::println);
      if (loaders != null) {
        loaded = loaded.withInstalledGrubLinux(Manifest.read(loaders).grubLinux().orElse(null));
      }
      long loadedAt = System.nanoTime();
      CallbackTokens tokens = CallbackTokens.load(StateDir.resolve(state).resolve("callback.key"));
      SiteModel site = Models.site(loaded, inventory.getFileName().toString(), tokens);
      TreeRenderer renderer = new TreeRenderer(new Templates(templates));
      SortedMap<String, byte[]> tree = renderer.render(site);
      ZoneFiles.Result zones =
          ZoneFiles.render(
              loaded,
              inventory.getFileName().toString(),
              path -> previous(out, path),
              LocalDate.now(clock));
      tree.putAll(zones.files());
      long renderedAt = System.nanoTime();
      OutputTree.Result result = OutputTree.replace(out, tree);
      long end = System.nanoTime();
      renderer.warnings().forEach(stderr::println);
      zones.warnings().forEach(stderr::println);
      stdout.printf(
          "rendered %d hosts into %s: %d files (%d written, %d unchanged, %d removed) in %d ms"
              + " (load %d, render %d, write %d)%n",
          site.hosts().size(),
          out,
          tree.size(),
          result.written(),
          result.unchanged(),
          result.removed(),
          ms(end - start),
          ms(loadedAt - start),
          ms(renderedAt - loadedAt),
          ms(end - renderedAt));
      return 0;
    } catch (InventoryException e) {
      e.problems().forEach(stderr::println);
      return 2;
    } catch (RenderException e) {
      stderr.println("kickdrift render: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      stderr.println("kickdrift render: " + e.getMessage());
      return 2;
    } catch (UncheckedIOException e) {
      stderr.println("kickdrift render: reading the previous zone file: " + e.getCause());
      return 2;
    }
  }
}
