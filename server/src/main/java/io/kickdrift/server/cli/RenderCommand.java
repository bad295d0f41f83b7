package io.kickdrift.server.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kickdrift.agent.cli.DecryptOptions;
import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.agent.state.StateDir;
import io.kickdrift.server.desired.HostDesired;
import io.kickdrift.server.dns.ZoneFiles;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.loaders.Manifest;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.DesiredModel;
import io.kickdrift.server.render.ModelDigest;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.OutputTree;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.SiteModel;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.HostRecord;
import io.kickdrift.server.state.Install;
import io.kickdrift.server.state.InstallPhase;
import io.kickdrift.server.state.JdbcStateStore;
import io.kickdrift.server.state.StateException;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift render}: the inventory to a complete tree of kickstarts, menus and configs. Its
 * help text is in {@code RenderCommand.properties}.
 */
@Command(name = "render", mixinStandardHelpOptions = true)
final class RenderCommand implements Callable<Integer> {
  @Mixin InventoryOption inventoryOption = new InventoryOption();

  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Mixin TemplatesOption templates = new TemplatesOption();

  @Mixin StateOption state = new StateOption();

  @Mixin DatabaseOption database = new DatabaseOption();

  @Option(names = "--full")
  boolean full;

  @Option(names = "--loaders", paramLabel = "FILE")
  Path loaders;

  @Mixin JsonOption json = new JsonOption();

  @Mixin DesiredOption desired = new DesiredOption();

  @Mixin DecryptOptions decrypt = new DecryptOptions();

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  /** Dates the zone files' SOA serials (YYYYMMDDnn, in UTC) and the install windows. */
  Clock clock = Clock.systemUTC();

  /** The install windows the render issued: how many, until when; printed after its summary. */
  private int issued;

  private Instant issuedUntil;

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
    Path inventory = inventoryOption.file();
    try {
      Inventory loaded = InventoryLoader.load(inventory, stderr::println);
      if (loaders != null) {
        loaded = loaded.withInstalledGrubLinux(Manifest.read(loaders).grubLinux().orElse(null));
      }
      long loadedAt = System.nanoTime();
      StateDir stateDir = state.existing();
      CallbackTokens key = CallbackTokens.load(stateDir.callbackKey());
      Map<String, String> tokens;
      try (StateStore store = new JdbcStateStore(database.open(stateDir.dir()))) {
        tokens = pendingTokens(loaded, store, key);
      }
      Templates templateSet = new Templates(templates.dir());
      // each host's desired state, laid down by its kickstart's %post
      HostDesired.Reader desiredTree =
          HostDesired.reader(desired.dir(inventory), templateSet, decrypt.decryptor());
      Map<String, DesiredModel> desiredModels = new HashMap<>();
      List<String> desiredWarnings = new ArrayList<>();
      for (Host h : loaded.hosts()) {
        HostDesired.State d = desiredTree.of(loaded, h);
        desiredModels.put(h.name(), d.model());
        desiredWarnings.addAll(d.warnings());
      }
      SiteModel site =
          Models.site(
              withInstallWindows(loaded, tokens.keySet()),
              inventory.getFileName().toString(),
              host -> Optional.ofNullable(tokens.get(host)),
              name -> desiredModels.getOrDefault(name, DesiredModel.NONE));
      TreeRenderer renderer = new TreeRenderer(templateSet);
      // Only the hosts whose model changed since the tree OUT names are rendered (ModelDigest).
      OutputTree.Models previous =
          full ? new OutputTree.Models(null, Map.of()) : OutputTree.models(out);
      Map<String, String> digests = ModelDigest.hosts(site, templateSet.fingerprint());
      Map<String, OutputTree.HostFiles> models = new ConcurrentHashMap<>();
      Set<String> keep = new HashSet<>();
      digests.forEach(
          (host, digest) -> {
            OutputTree.HostFiles before = previous.hosts().get(host);
            if (before != null && before.digest().equals(digest)) {
              models.put(host, before);
              keep.addAll(before.files());
            }
          });
      int kept = models.size();
      SortedMap<String, byte[]> tree =
          renderer.render(
              site,
              Set.copyOf(models.keySet()),
              (host, paths) ->
                  models.put(
                      host,
                      new OutputTree.HostFiles(
                          digests.get(host), List.copyOf(new TreeSet<>(paths)))));
      ZoneFiles.Result zones =
          ZoneFiles.render(
              templateSet,
              loaded,
              inventory.getFileName().toString(),
              path -> previous(out, path),
              LocalDate.now(clock));
      tree.putAll(zones.files());
      long renderedAt = System.nanoTime();
      keep.removeAll(tree.keySet());
      OutputTree.Result result = OutputTree.replace(out, tree, keep, previous.generation(), models);
      long end = System.nanoTime();
      renderer.warnings().forEach(stderr::println);
      desiredWarnings.forEach(w -> stderr.println("warning: desired state: " + w));
      zones.warnings().forEach(stderr::println);
      if (json.on()) {
        stdout.println(
            JsonOption.text(
                new Rendered(
                    site.hosts().size(),
                    out.toString(),
                    tree.size() + keep.size(),
                    result.written(),
                    result.unchanged(),
                    result.removed(),
                    kept,
                    new Millis(
                        ms(end - start),
                        ms(loadedAt - start),
                        ms(renderedAt - loadedAt),
                        ms(end - renderedAt)),
                    issued,
                    issuedUntil == null ? null : issuedUntil.toString())));
        return 0;
      }
      stdout.printf(
          "rendered %d hosts into %s: %d files (%d written, %d unchanged, %d removed) in %d ms"
              + " (load %d, render %d, write %d)%n",
          site.hosts().size(),
          out,
          tree.size() + keep.size(),
          result.written(),
          result.unchanged(),
          result.removed(),
          ms(end - start),
          ms(loadedAt - start),
          ms(renderedAt - loadedAt),
          ms(end - renderedAt));
      if (kept > 0) {
        stdout.printf(
            "%d hosts unchanged since the last render: their files kept, not rendered again"
                + " (--full renders every host)%n",
            kept);
      }
      if (issued > 0) {
        stdout.println(
            "install windows issued for " + issued + " hosts that netboot, until " + issuedUntil);
      }
      return 0;
    } catch (InventoryException
        | RenderException
        | IOException
        | StateException
        | IllegalArgumentException e) {
      return Failed.report("render", e, stderr::println);
    } catch (UncheckedIOException e) {
      stderr.println(
          "kickdrift render: reading the previous zone file: " + ErrorText.of(e.getCause()));
      return 2;
    }
  }

  /**
   * The tokens of the hosts with an open install window, by host: the windows serve checks. Hosts
   * the inventory netboots without a window get one first, as {@code netboot enable} would.
   */
  private Map<String, String> pendingTokens(Inventory inv, StateStore store, CallbackTokens key) {
    Instant now = clock.instant();
    Map<String, HostRecord> records = store.hosts();
    List<StateStore.NewInstall> unissued = new ArrayList<>();
    for (Host h : inv.hosts()) {
      Optional<HostRecord> r = Optional.ofNullable(records.get(h.name()));
      if (InstallPhase.of(h.netboot(), r, now) == InstallPhase.UNISSUED) {
        unissued.add(
            StateStore.NewInstall.of(h.name(), h.netboot(), r, now, inv.server().tokenLifetime()));
      }
    }
    if (!unissued.isEmpty()) {
      List<String> newWindows = store.issue(unissued);
      issued = newWindows.size();
      issuedUntil = issued == 0 ? null : now.plus(inv.server().tokenLifetime());
      records = store.hosts();
    }
    Map<String, String> tokens = new HashMap<>();
    for (Host h : inv.hosts()) {
      Optional<HostRecord> r = Optional.ofNullable(records.get(h.name()));
      if (InstallPhase.of(h.netboot(), r, now) == InstallPhase.PENDING) {
        Install i = InstallPhase.install(h.netboot(), r).orElseThrow();
        tokens.put(h.name(), key.token(h.name(), i.id()));
      }
    }
    return tokens;
  }

  /** The inventory with netboot on exactly for the hosts whose install window is open. */
  private static Inventory withInstallWindows(Inventory inv, java.util.Set<String> pending) {
    return inv.withHosts(
        inv.hosts().stream().map(h -> h.withNetboot(pending.contains(h.name()))).toList());
  }

  /** What {@code --json} prints: the summary line and the note, field by field. */
  record Rendered(
      int hosts,
      String out,
      int files,
      int written,
      int unchanged,
      int removed,
      @JsonProperty("hosts-kept") int hostsKept,
      Millis millis,
      @JsonProperty("install-windows-issued") int installWindowsIssued,
      @JsonProperty("install-windows-until") String installWindowsUntil) {}

  /** Where the time went: all of it, then loading, rendering and writing. */
  record Millis(long total, long load, long render, long write) {}
}
