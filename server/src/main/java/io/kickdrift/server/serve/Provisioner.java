package io.kickdrift.server.serve;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.HostModel;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.NicModel;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.SiteModel;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.HostRecord;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The install lifecycle behind {@code serve}: renders a host's menus and kickstart on request from
 * the inventory and the state store, so a menu changes the moment the host's state does; takes
 * install callbacks; turns netboot on again. The inventory file is re-read when it changes (checked
 * at most once a second); an inventory that no longer loads is logged and the last good one kept.
 * Thread-safe.
 */
public final class Provisioner {
  /** A host as {@code kickdrift hosts} and the API show it. */
  public record HostStatus(
      String host,
      String profile,
      List<String> macs,
      boolean netboot,
      String state,
      Instant installed) {}

  /** What a callback did. */
  public enum Callback {
    INSTALLED,
    UNKNOWN_HOST,
    BAD_TOKEN
  }

  private record Snapshot(
      Inventory inventory,
      SiteModel site,
      Map<String, Host> byName,
      Map<String, Host> byMac,
      FileTime modified,
      long size,
      Map<String, String> kickstarts) {}

  private final Path file;
  private final UnaryOperator<Inventory> adjust;
  private final CallbackTokens tokens;
  private final TreeRenderer renderer;
  private final StateStore state;
  private final Clock clock;
  private final Consumer<String> log;
  private volatile Snapshot snapshot;
  private final List<Consumer<String>> onInstalled =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.BiConsumer<Inventory, Inventory>> onReload =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile long checkedAt;

  /**
   * @param adjust applied to every inventory loaded, e.g. to set the listeners {@code serve} binds
   * @throws InventoryException if the inventory does not load at start
   */
  public Provisioner(
      Path file,
      UnaryOperator<Inventory> adjust,
      CallbackTokens tokens,
      TreeRenderer renderer,
      StateStore state,
      Clock clock,
      Consumer<String> log)
      throws InventoryException, RenderException, IOException {
    this.file = file;
    this.adjust = adjust;
    this.tokens = tokens;
    this.renderer = renderer;
    this.state = state;
    this.clock = clock;
    this.log = log;
    this.snapshot = load();
  }

  private Snapshot load() throws InventoryException, RenderException, IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    Inventory inventory = adjust.apply(InventoryLoader.load(file));
    SiteModel site = Models.site(inventory, file.getFileName().toString(), tokens);
    Map<String, Host> byName = new HashMap<>();
    Map<String, Host> byMac = new HashMap<>();
    for (Host h : inventory.hosts()) {
      byName.put(h.name(), h);
      for (Interface nic : h.interfaces()) {
        byMac.put(nic.mac(), h);
      }
    }
    return new Snapshot(inventory, site, byName, byMac, modified, size, new ConcurrentHashMap<>());
  }

  /** The current inventory snapshot, re-read first if the file changed. */
  private Snapshot current() {
    long now = System.nanoTime();
    if (now - checkedAt < 1_000_000_000L) {
      return snapshot;
    }
    synchronized (this) {
      if (now - checkedAt < 1_000_000_000L) {
        return snapshot;
      }
      checkedAt = now;
      Snapshot s = snapshot;
      try {
        if (!Files.getLastModifiedTime(file).equals(s.modified()) || Files.size(file) != s.size()) {
          snapshot = load();
          log.accept("inventory " + file + " reloaded: " + snapshot.byName().size() + " hosts");
          Inventory before = s.inventory();
          Inventory after = snapshot.inventory();
          onReload.forEach(l -> l.accept(before, after));
        }
      } catch (InventoryException e) {
        e.problems().forEach(p -> log.accept("inventory not reloaded: " + p));
        snapshot = withStamp(s);
      } catch (RenderException | IOException e) {
        log.accept("inventory " + file + " not reloaded: " + e.getMessage());
        snapshot = withStamp(s);
      }
      return snapshot;
    }
  }

  /** The same snapshot, marked as matching the file now on disk, so a bad file is logged once. */
  private Snapshot withStamp(Snapshot s) {
    try {
      return new Snapshot(
          s.inventory(),
          s.site(),
          s.byName(),
          s.byMac(),
          Files.getLastModifiedTime(file),
          Files.size(file),
          s.kickstarts());
    } catch (IOException e) {
      return s;
    }
  }

  /** The site model the menus and URLs come from. */
  public SiteModel site() {
    return current().site();
  }

  /** Whether the host netboots now (inventory and recorded state). */
  public boolean netboot(Host host) {
    return StateStore.netboot(host.netboot(), state.host(host.name()));
  }

  private HostModel model(Snapshot s, Host host) {
    Host effective =
        new Host(
            host.name(),
            host.interfaces(),
            host.profile(),
            netboot(host),
            host.variables(),
            host.ssh());
    return Models.host(
        s.inventory(), effective, s.site().serverAddress(), s.site().baseUrl(), tokens);
  }

  /**
   * The menu a boot loader asks for by path, rendered now; empty for a path that is not a menu or a
   * MAC the inventory does not list (the loader then tries its default). A host's menu is recorded
   * as a {@code boot-menu} event: which kind, install or local, to whom.
   */
  public Optional<byte[]> menu(String path, String from) throws RenderException {
    Optional<MenuPath> request = MenuPath.parse(path);
    if (request.isEmpty()) {
      return Optional.empty();
    }
    Snapshot s = current();
    MenuPath m = request.get();
    if (m.mac() == null) {
      return Optional.of(bytes(renderer.renderDefault(s.site(), m.menu())));
    }
    Host host = s.byMac().get(m.mac());
    if (host == null) {
      return Optional.empty();
    }
    HostModel model = model(s, host);
    NicModel nic =
        model.nics().stream().filter(n -> n.mac().equals(m.mac())).findFirst().orElseThrow();
    byte[] menu = bytes(renderer.renderMenu(s.site(), model, nic, m.menu()));
    state.event(
        host.name(),
        "boot-menu",
        m.menu().name().toLowerCase(java.util.Locale.ROOT)
            + (model.netboot() ? " install" : " local")
            + " for "
            + m.mac()
            + " to "
            + from,
        clock.instant());
    return Optional.of(menu);
  }

  /**
   * Whether {@code path} asks for the per-MAC menu of a MAC the inventory lists (TFTP serves these
   * first when it is busy). Cheap: renders nothing, records nothing.
   */
  public boolean knowsMenu(String path) {
    Optional<MenuPath> request = MenuPath.parse(path);
    return request.isPresent()
        && request.get().mac() != null
        && inventory().hosts().stream()
            .flatMap(h -> h.interfaces().stream())
            .anyMatch(nic -> nic.mac().equals(request.get().mac()));
  }

  /** The host's kickstart when the token is its own; empty otherwise. */
  public Optional<String> kickstart(String hostName, String token) throws RenderException {
    Snapshot s = current();
    Host host = s.byName().get(hostName);
    if (host == null || !tokens.verify(hostName, token)) {
      return Optional.empty();
    }
    // A kickstart depends on the inventory and the templates only, not on the host's state:
    // rendered once per inventory snapshot.
    String cached = s.kickstarts().get(hostName);
    if (cached == null) {
      cached = renderer.renderKickstart(s.site(), model(s, host));
      s.kickstarts().put(hostName, cached);
    }
    return Optional.of(cached);
  }

  /** The install-finished callback: with the host's token, netboot off from now on. */
  public Callback installed(String hostName, String token, String from) {
    Snapshot s = current();
    Host host = s.byName().get(hostName);
    Instant now = clock.instant();
    if (host == null) {
      state.event(null, "callback-refused", "unknown host " + hostName + " from " + from, now);
      return Callback.UNKNOWN_HOST;
    }
    if (!tokens.verify(hostName, token)) {
      state.event(hostName, "callback-refused", "wrong token from " + from, now);
      return Callback.BAD_TOKEN;
    }
    state.installed(hostName, host.netboot(), now, "install finished; callback from " + from);
    onInstalled.forEach(l -> l.accept(hostName));
    return Callback.INSTALLED;
  }

  /** Called with the host's name after each accepted install callback (baseline scan, DNS). */
  public void onInstalled(Consumer<String> listener) {
    onInstalled.add(listener);
  }

  /** Called with the inventory before and after each reload of the file (serve's DNS upkeep). */
  public void onReload(java.util.function.BiConsumer<Inventory, Inventory> listener) {
    onReload.add(listener);
  }

  /** The inventory now, re-read first if the file changed (which calls the reload listeners). */
  public Inventory inventory() {
    return current().inventory();
  }

  /** The inventory host of that name now, if there is one. */
  public Optional<Host> host(String name) {
    return Optional.ofNullable(current().byName().get(name));
  }

  /** Turns netboot on (reinstall at next boot) or off; empty for an unknown host. */
  public Optional<HostStatus> setNetboot(String hostName, boolean enabled, String by) {
    Snapshot s = current();
    Host host = s.byName().get(hostName);
    if (host == null) {
      return Optional.empty();
    }
    state.netboot(hostName, enabled, host.netboot(), clock.instant(), by);
    return Optional.of(status(host));
  }

  /** Every inventory host with its state, in inventory order. */
  public List<HostStatus> hosts() {
    Snapshot s = current();
    Map<String, HostRecord> records = state.hosts();
    List<HostStatus> hosts = new ArrayList<>();
    for (Host h : s.inventory().hosts()) {
      hosts.add(status(h, Optional.ofNullable(records.get(h.name()))));
    }
    return hosts;
  }

  private HostStatus status(Host host) {
    return status(host, state.host(host.name()));
  }

  private static HostStatus status(Host host, Optional<HostRecord> record) {
    boolean netboot = StateStore.netboot(host.netboot(), record);
    Instant installed = record.map(HostRecord::installed).orElse(null);
    String stateName = netboot ? "install-pending" : installed != null ? "installed" : "local";
    return new HostStatus(
        host.name(),
        host.profile(),
        host.interfaces().stream().map(Interface::mac).toList(),
        netboot,
        stateName,
        installed);
  }

  public StateStore state() {
    return state;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
