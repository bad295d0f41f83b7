package io.kickdrift.server.serve;

import io.kickdrift.agent.repo.Restore;
import io.kickdrift.server.desired.HostDesired;
import io.kickdrift.server.dhcp.LeaseStore;
import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.HostFiles;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.DesiredModel;
import io.kickdrift.server.render.HostModel;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.NicModel;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.SiteModel;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.HostRecord;
import io.kickdrift.server.state.Install;
import io.kickdrift.server.state.InstallPhase;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The install lifecycle behind {@code serve}: renders a host's menus and kickstart on request from
 * the inventory and the state store, so a menu changes the moment the host's state does; takes
 * install callbacks; turns netboot on again with a new install window.
 *
 * <p>Requests never wait for the inventory file: once {@link #start started}, a background thread
 * looks at the file every second, loads a changed one, issues install windows for hosts it turns to
 * netboot, and only then swaps the new snapshot in; an inventory that no longer loads is logged
 * once and the last good one kept. The same thread writes the summaries of rate-limited events and
 * prunes old events. Thread-safe.
 */
public final class Provisioner implements AutoCloseable {
  /** A host as {@code kickdrift hosts} and the API show it. */
  public record HostStatus(
      String host,
      String profile,
      List<String> macs,
      boolean netboot,
      String state,
      Instant installed,
      Instant installExpires) {

    /**
     * The host as {@code GET /api/v1/hosts}, {@code hosts --json} and {@code netboot --json} show
     * it.
     */
    public Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("host", host);
      json.put("profile", profile);
      json.put("macs", macs);
      json.put("netboot", netboot);
      json.put("state", state);
      json.put("installed", installed == null ? null : installed.toString());
      json.put("install-expires", installExpires == null ? null : installExpires.toString());
      return json;
    }
  }

  /** How a kickstart or callback request went; HTTP maps them to 200, 404, 403 and 429. */
  public enum Outcome {
    OK,
    /** No such install: an unknown host and a wrong token answer alike. */
    UNKNOWN,
    /** The install exists but this request may not use it (address, expiry); body says why. */
    REFUSED,
    /** The source was refused too often lately; nothing was looked at. */
    THROTTLED
  }

  /**
   * The answer to a kickstart or callback request: the outcome, the body to send (the kickstart, or
   * one line saying what happened) and, when throttled, the seconds to send in Retry-After.
   */
  public record Answer(Outcome outcome, String body, long retryAfterSeconds) {
    static Answer of(Outcome outcome, String body) {
      return new Answer(outcome, body, 0);
    }
  }

  /** Reads an inventory file: {@link InventoryLoader#load}, or in tests one that takes its time. */
  interface Loader {
    Inventory load(Path file) throws InventoryException;

    /**
     * The host-file patterns of the inventory file last read, also when its load failed; null when
     * this loader does not know them.
     */
    default List<String> hostFiles() {
      return null;
    }
  }

  /**
   * The loader serve uses: a reload parses again only the inventory's files whose bytes changed
   * (docs/inventory.md, "Hosts in several files"), then checks the whole.
   */
  private static Loader cachedLoader() {
    InventoryLoader.Cache cache = new InventoryLoader.Cache();
    return new Loader() {
      @Override
      public Inventory load(Path f) throws InventoryException {
        return InventoryLoader.load(f, warning -> {}, cache);
      }

      @Override
      public List<String> hostFiles() {
        return cache.hostFiles();
      }
    };
  }

  private record Kickstart(String install, String text) {}

  private record Snapshot(
      Inventory inventory,
      SiteModel site,
      Map<String, Host> byName,
      Map<String, Host> byMac,
      List<FileStamp> stamp,
      Map<String, Kickstart> kickstarts) {
    Snapshot stamped(List<FileStamp> stamp) {
      return new Snapshot(inventory, site, byName, byMac, stamp, kickstarts);
    }
  }

  /**
   * A file of the inventory (the file itself, then its host files) as last seen; a change of any,
   * or a host file added or removed, is a change of the inventory.
   */
  private record FileStamp(Path path, FileTime modified, long size) {}

  /** The stamp of an inventory file that could not be read; any other has the file's. */
  private static final List<FileStamp> UNREADABLE = List.of();

  private static final String NO_SUCH_INSTALL = "no install of that host with that token\n";

  private final Path file;
  private final Loader loader;
  private final UnaryOperator<Inventory> adjust;
  private final CallbackTokens tokens;
  private final TreeRenderer renderer;
  private final StateStore state;
  private final Clock clock;
  private final Consumer<String> log;
  private final EventLimiter events;
  private final List<Consumer<String>> onInstalled = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<Inventory, Inventory>> onReload = new CopyOnWriteArrayList<>();
  private final Object reloading = new Object();
  private volatile Snapshot snapshot;

  /** What was wrong with the inventory file at the last reload; empty when it loaded. */
  private volatile List<String> problems = List.of();

  private volatile LeaseStore leases;
  private volatile Function<Host, HostDesired.Reader> desired =
      host -> HostDesired.reader(null, null, null);
  private volatile io.kickdrift.server.metrics.ServeMetrics metrics =
      io.kickdrift.server.metrics.ServeMetrics.none();
  private ScheduledExecutorService worker;

  /**
   * Loads the inventory; nothing runs in the background until {@link #start}.
   *
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
    this(
        file,
        cachedLoader(),
        adjust,
        tokens,
        renderer,
        state,
        clock,
        log,
        EventLimiter.Settings.DEFAULT);
  }

  Provisioner(
      Path file,
      Loader loader,
      UnaryOperator<Inventory> adjust,
      CallbackTokens tokens,
      TreeRenderer renderer,
      StateStore state,
      Clock clock,
      Consumer<String> log,
      EventLimiter.Settings limits)
      throws InventoryException, RenderException, IOException {
    this.file = file;
    this.loader = loader;
    this.adjust = adjust;
    this.tokens = tokens;
    this.renderer = renderer;
    this.state = state;
    this.clock = clock;
    this.log = log;
    this.events = new EventLimiter(state, clock, limits);
    // the inventory file's stamp from before it is read, so an edit made meanwhile is seen
    FileStamp main = stamp(List.of()).get(0);
    Snapshot first = load(List.of());
    List<FileStamp> stamp = new ArrayList<>(stamp(first.inventory().hostFiles()));
    stamp.set(0, main);
    this.snapshot = first.stamped(stamp);
  }

  /**
   * Serve's side: prunes old events, issues install windows for the hosts the inventory netboots,
   * then watches the inventory file, writes event summaries and prunes in the background.
   */
  public synchronized void start() {
    if (worker != null) {
      return;
    }
    prune();
    issueInstalls(snapshot.inventory());
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "provisioner");
              t.setDaemon(true);
              return t;
            });
    worker.scheduleWithFixedDelay(() -> quietly(this::reloadIfChanged), 1, 1, TimeUnit.SECONDS);
    worker.scheduleWithFixedDelay(() -> quietly(() -> events.flush(false)), 5, 5, TimeUnit.SECONDS);
    worker.scheduleWithFixedDelay(() -> quietly(this::prune), 10, 10, TimeUnit.MINUTES);
  }

  /** Counts renders and install phase changes in {@code metrics} (none until called). */
  public void measure(io.kickdrift.server.metrics.ServeMetrics metrics) {
    this.metrics = metrics;
  }

  /** Also answers the address rule with the active DHCP leases of {@code serve --dhcp}. */
  public void useLeases(LeaseStore leases) {
    this.leases = leases;
  }

  /**
   * Kickstarts lay down each host's desired state from the tree {@code dir} (read at each request:
   * what is committed there now), opening encrypted secrets with {@code decryptor} (may be null).
   */
  public void useDesired(Path dir, Restore.Decryptor decryptor) {
    this.desired = host -> HostDesired.reader(dir, renderer.templates(), decryptor);
  }

  /** What the host's kickstart lays down; warnings (a secret left out) go to the log. */
  private DesiredModel desired(Snapshot s, Host host) throws RenderException {
    HostDesired.State d = desired.apply(host).of(s.inventory(), host);
    d.warnings().forEach(w -> log.accept("desired state: " + w));
    return d.model();
  }

  /** Stops the background work and writes the pending event summaries. */
  @Override
  public synchronized void close() {
    if (worker != null) {
      worker.shutdownNow();
      try {
        worker.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      worker = null;
    }
    quietly(() -> events.flush(true));
  }

  /** Runs background work; a failure is logged and the next run comes as planned. */
  private void quietly(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // an Error would cancel the periodic task for good: no more reloads until restart
      log.accept("provisioner: " + e);
    }
  }

  /**
   * The inventory file's stamp and those of the host files {@code hostFiles}' patterns name now.
   *
   * @throws IOException the inventory file itself cannot be read
   */
  private List<FileStamp> stamp(List<String> hostFiles) throws IOException {
    List<FileStamp> out = new ArrayList<>();
    out.add(new FileStamp(file, Files.getLastModifiedTime(file), Files.size(file)));
    for (Path p : HostFiles.current(file, hostFiles)) {
      try {
        out.add(new FileStamp(p, Files.getLastModifiedTime(p), Files.size(p)));
      } catch (IOException e) {
        out.add(new FileStamp(p, null, -1)); // gone since it was listed: the next look sees it
      }
    }
    return out;
  }

  private Snapshot load(List<FileStamp> stamp)
      throws InventoryException, RenderException, IOException {
    Inventory inventory = adjust.apply(loader.load(file));
    // no host models: every host's file is rendered on request, with its install's token
    SiteModel site = Models.site(inventory, file.getFileName().toString());
    Map<String, Host> byName = new HashMap<>();
    Map<String, Host> byMac = new HashMap<>();
    for (Host h : inventory.hosts()) {
      byName.put(h.name(), h);
      for (Interface nic : h.interfaces()) {
        byMac.put(nic.mac(), h);
      }
    }
    return new Snapshot(inventory, site, byName, byMac, stamp, new ConcurrentHashMap<>());
  }

  /**
   * Loads the inventory file if it changed since the last look, issues the install windows it calls
   * for, swaps it in and tells the reload listeners; requests meanwhile use the last one. Serve's
   * background thread calls it every second.
   *
   * @return whether a new inventory is in use
   */
  boolean reloadIfChanged() {
    return reload(false, null).ok();
  }

  /**
   * What a reload asked for did: a new inventory in use ({@code ok}), or the old one kept, with
   * what was wrong ({@code FILE:LINE:COL: …}, one problem a line).
   */
  public record Reloaded(boolean ok, String detail) {}

  /**
   * Reads the inventory file now, changed or not (SIGHUP, {@code POST /api/v1/reload}): as {@link
   * #reloadIfChanged}, but the outcome is always logged, naming {@code why}. A file that does not
   * load keeps the inventory in use.
   */
  public Reloaded reloadNow(String why) {
    return reload(true, why);
  }

  private Reloaded reload(boolean force, String why) {
    synchronized (reloading) {
      Snapshot before = snapshot;
      List<String> watched = watched(before);
      List<FileStamp> stamp;
      try {
        stamp = stamp(watched);
      } catch (IOException e) {
        String detail = "inventory " + file + " not reloaded: " + e;
        if (!before.stamp().isEmpty() || force) {
          log.accept(detail + (why == null ? "" : " (" + why + ")"));
          snapshot = before.stamped(UNREADABLE);
        }
        return new Reloaded(false, detail);
      }
      if (!force && stamp.equals(before.stamp())) {
        return new Reloaded(false, "unchanged");
      }
      Snapshot after;
      try {
        Snapshot loaded = load(stamp);
        after = loaded.stamped(restamped(watched, loaded.inventory().hostFiles(), stamp));
      } catch (InventoryException e) {
        List<String> problems = new ArrayList<>();
        e.problems().forEach(p -> problems.add("inventory not reloaded: " + p));
        problems.forEach(log);
        // so a bad file is logged once; stamped with the host files the file read names, so that
        // creating or mending one of them is the change that loads it
        snapshot = before.stamped(restamped(watched, watched(before), stamp));
        this.problems = e.problems();
        return new Reloaded(false, String.join("\n", problems));
      } catch (RenderException | IOException e) {
        String detail = "inventory " + file + " not reloaded: " + e.getMessage();
        log.accept(detail);
        snapshot = before.stamped(stamp);
        this.problems = List.of(file + ": " + e.getMessage());
        return new Reloaded(false, detail);
      }
      if (!force) {
        keepKickstarts(before, after);
      }
      issueInstalls(after.inventory());
      snapshot = after;
      problems = List.of();
      String detail =
          "inventory "
              + file
              + " reloaded: "
              + after.byName().size()
              + " hosts"
              + (why == null ? "" : " (" + why + ")");
      log.accept(detail);
      onReload.forEach(l -> l.accept(before.inventory(), after.inventory()));
      return new Reloaded(true, detail);
    }
  }

  /**
   * The host-file patterns to watch: those of the inventory file last read (which a failed load may
   * have read too), else those of the inventory in use.
   */
  private List<String> watched(Snapshot current) {
    List<String> read = loader.hostFiles();
    return read != null ? read : current.inventory().hostFiles();
  }

  /**
   * {@code stamp}, taken with the patterns {@code watched} before a load, with the host files of
   * the patterns {@code now} instead when they differ (those the load read); the inventory file's
   * own stamp stays the one from before the load, so an edit made during it is seen at the next
   * look.
   */
  private List<FileStamp> restamped(List<String> watched, List<String> now, List<FileStamp> stamp) {
    if (now.equals(watched) || stamp.isEmpty()) {
      return stamp;
    }
    try {
      List<FileStamp> restamped = new ArrayList<>(stamp(now));
      restamped.set(0, stamp.get(0));
      return restamped;
    } catch (IOException e) {
      return stamp;
    }
  }

  /**
   * Moves the kickstarts rendered for {@code before} into {@code after} for the hosts an edit did
   * not touch: when everything a kickstart is made of besides its host (server, defaults, distros,
   * profiles, subnets) is unchanged, a host whose entry is equal keeps its kickstart, so an edit
   * re-renders only what it changed. A reload asked for ({@code SIGHUP}, the API) keeps none: it
   * also picks up template and desired-state edits.
   */
  private static void keepKickstarts(Snapshot before, Snapshot after) {
    Inventory a = before.inventory();
    Inventory b = after.inventory();
    if (before.kickstarts().isEmpty()
        || !a.server().equals(b.server())
        || !a.defaults().equals(b.defaults())
        || !a.distros().equals(b.distros())
        || !a.profiles().equals(b.profiles())
        || !a.subnets().equals(b.subnets())) {
      return;
    }
    for (Map.Entry<String, Kickstart> k : before.kickstarts().entrySet()) {
      Host was = before.byName().get(k.getKey());
      if (was != null && was.equals(after.byName().get(k.getKey()))) {
        after.kickstarts().put(k.getKey(), k.getValue());
      }
    }
  }

  /** Gives every host that netboots without an install window (the inventory's, say) a new one. */
  private void issueInstalls(Inventory inventory) {
    Instant now = clock.instant();
    Map<String, HostRecord> records = state.hosts();
    List<StateStore.NewInstall> wanted = new ArrayList<>();
    for (Host h : inventory.hosts()) {
      Optional<HostRecord> record = Optional.ofNullable(records.get(h.name()));
      if (phase(h, record, now) == InstallPhase.UNISSUED) {
        wanted.add(
            StateStore.NewInstall.of(
                h.name(), h.netboot(), record, now, inventory.server().tokenLifetime()));
      }
    }
    if (!wanted.isEmpty()) {
      List<String> issued = state.issue(wanted);
      if (!issued.isEmpty()) {
        log.accept(
            "install windows issued for "
                + issued.size()
                + " hosts that netboot (until "
                + now.plus(inventory.server().tokenLifetime())
                + ")");
      }
    }
  }

  private void prune() {
    Inventory inv = snapshot.inventory();
    int gone =
        state.prune(
            clock.instant().minus(inv.server().eventsRetention()), inv.server().eventsMaxCount());
    if (gone > 0) {
      log.accept(
          "events pruned: "
              + gone
              + " (server.events-max-age "
              + inv.server().eventsMaxAge()
              + ", events-max-count "
              + inv.server().eventsMaxCount()
              + ")");
    }
  }

  /** The site model the menus and URLs come from. */
  public SiteModel site() {
    return snapshot.site();
  }

  private static InstallPhase phase(Host host, Optional<HostRecord> record, Instant now) {
    return InstallPhase.of(host.netboot(), record, now);
  }

  /** The host's model with its install window's token, installing only while the window is open. */
  private HostModel model(Snapshot s, Host host, Optional<HostRecord> record, Instant now) {
    return model(s, host, record, now, DesiredModel.NONE);
  }

  /** As {@link #model(Snapshot, Host, Optional, Instant)}, with what its kickstart lays down. */
  private HostModel model(
      Snapshot s, Host host, Optional<HostRecord> record, Instant now, DesiredModel desired) {
    boolean pending = phase(host, record, now) == InstallPhase.PENDING;
    Optional<String> token =
        pending
            ? InstallPhase.install(host.netboot(), record)
                .map(i -> tokens.token(host.name(), i.id()))
            : Optional.empty();
    return Models.host(
        s.inventory(),
        host.withNetboot(pending),
        s.site().serverAddress(),
        s.site().baseUrl(),
        name -> token,
        desired);
  }

  /**
   * The menu a boot loader asks for by path, rendered now; empty for a path that is not a menu or a
   * MAC the inventory does not list (the loader then tries its default). A host's menu is recorded
   * as a {@code boot-menu} event (which kind, install or local, to whom), once per window for the
   * same menu to the same client.
   */
  public Optional<byte[]> menu(String path, String from) throws RenderException {
    Optional<MenuPath> request = MenuPath.parse(path);
    if (request.isEmpty()) {
      return Optional.empty();
    }
    Snapshot s = snapshot;
    MenuPath m = request.get();
    long started = System.nanoTime();
    if (m.mac() == null) {
      byte[] menu = bytes(renderer.renderDefault(s.site(), m.menu()));
      metrics.render("menu", System.nanoTime() - started);
      return Optional.of(menu);
    }
    Host host = s.byMac().get(m.mac());
    if (host == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<HostRecord> record = state.host(host.name());
    InstallPhase phase = phase(host, record, now);
    if (phase == InstallPhase.UNISSUED) {
      // rare: the inventory turned netboot on and this request came before the background issue
      state.issue(
          List.of(
              StateStore.NewInstall.of(
                  host.name(),
                  host.netboot(),
                  record,
                  now,
                  s.inventory().server().tokenLifetime())));
      record = state.host(host.name());
      phase = phase(host, record, now);
    }
    HostModel model = model(s, host, record, now);
    NicModel nic =
        model.nics().stream().filter(n -> n.mac().equals(m.mac())).findFirst().orElseThrow();
    byte[] menu = bytes(renderer.renderMenu(s.site(), model, nic, m.menu()));
    metrics.render("menu", System.nanoTime() - started);
    events.menu(
        host.name(),
        m.menu().name().toLowerCase(Locale.ROOT)
            + (model.netboot() ? " install" : " local")
            + (phase == InstallPhase.EXPIRED ? " (install expired)" : "")
            + " for "
            + m.mac()
            + " to "
            + from);
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
        && snapshot.byMac().containsKey(request.get().mac());
  }

  /**
   * The host's kickstart, for the token of its open install window, asked from one of the host's
   * addresses (unless {@code server.kickstart-from: any}).
   */
  public Answer kickstart(String hostName, String token, InetAddress from) throws RenderException {
    Checked c = check(hostName, token, from, "kickstart");
    if (c.refusal() != null) {
      return c.refusal();
    }
    Snapshot s = c.snapshot();
    Instant now = c.now();
    // A kickstart depends on the inventory, the templates and the install window: rendered once
    // per window and snapshot.
    Kickstart cached = s.kickstarts().get(hostName);
    if (cached == null || !cached.install().equals(c.install().id())) {
      long started = System.nanoTime();
      String text =
          renderer.renderKickstart(
              s.site(), model(s, c.host(), c.record(), now, desired(s, c.host())));
      metrics.render("kickstart", System.nanoTime() - started);
      cached = new Kickstart(c.install().id(), text);
      s.kickstarts().put(hostName, cached);
    }
    return Answer.of(Outcome.OK, cached.text());
  }

  /**
   * The install-finished callback: with the token of the host's open install window, from one of
   * its addresses, netboot off from now on and the window closed.
   */
  public Answer installed(String hostName, String token, InetAddress from) {
    Checked c = check(hostName, token, from, "callback");
    if (c.refusal() != null) {
      return c.refusal();
    }
    state.installed(
        hostName,
        c.host().netboot(),
        c.now(),
        "install " + c.install().shortId() + " finished; callback from " + from.getHostAddress());
    metrics.transition(
        status(c.host(), c.record(), c.now()).state(),
        status(c.host(), state.host(hostName), c.now()).state());
    onInstalled.forEach(l -> l.accept(hostName));
    return Answer.of(Outcome.OK, hostName + " installed; its next boot is local\n");
  }

  private Answer throttled(String source) {
    long after = events.retryAfterSeconds(source);
    return new Answer(
        Outcome.THROTTLED,
        "too many refused requests from " + source + "; retry in " + after + " s\n",
        after);
  }

  /**
   * A request checked: refused with {@code refusal}, or allowed to use {@code install}, as of the
   * snapshot and the instant it was checked against.
   */
  private record Checked(
      Answer refusal,
      Snapshot snapshot,
      Instant now,
      Host host,
      Optional<HostRecord> record,
      Install install) {}

  /**
   * Whether a kickstart or callback request may use the install it names: not for an unknown host
   * or another token (one answer for both), an expired window, or an address not the host's.
   */
  private Checked check(String hostName, String token, InetAddress from, String what) {
    String source = from.getHostAddress();
    String kind = what + "-refused";
    // throttled first: a source refused too often costs neither a lookup nor an HMAC
    if (events.throttled(source, kind)) {
      return refused(throttled(source));
    }
    Snapshot s = snapshot;
    Instant now = clock.instant();
    Host host = s.byName().get(hostName);
    // an unknown name is looked up and HMACed too, so it costs what a wrong token does; a
    // callback decides on the database's record (none: 503, retried), a kickstart may be served
    // from the last known one
    Optional<HostRecord> record =
        what.equals("callback") ? state.current(hostName) : state.host(hostName);
    Optional<Install> install =
        host == null ? Optional.empty() : InstallPhase.install(host.netboot(), record);
    boolean valid =
        tokens.verify(hostName, install.map(Install::id).orElse(""), token) && install.isPresent();
    if (!valid) {
      String detail =
          host == null
              ? "unknown host " + LogText.of(hostName, 100) + " from " + source
              : (install.isEmpty() ? "no install pending" : "wrong token") + " from " + source;
      events.refused(source, host == null ? null : host.name(), kind, detail);
      return refused(Outcome.UNKNOWN, NO_SUCH_INSTALL);
    }
    Install i = install.get();
    if (i.expiredAt(now)) {
      String why =
          what
              + " of "
              + hostName
              + " refused: its install "
              + i.shortId()
              + " expired at "
              + i.expires()
              + "; `kickdrift netboot enable "
              + hostName
              + "` starts a new one";
      events.refused(source, hostName, kind, why + " (from " + source + ")");
      return refused(Outcome.REFUSED, why + "\n");
    }
    if (!s.inventory().server().kickstartFromAny()) {
      Addresses addresses = addresses(host, now);
      if (!addresses.literals().contains(from.getHostAddress())) {
        String why =
            what
                + " of "
                + hostName
                + " refused: request from "
                + source
                + "; expected one of the host's addresses ("
                + (addresses.shown().isEmpty()
                    ? "none known"
                    : String.join(", ", addresses.shown()))
                + "), or server.kickstart-from: any in the inventory";
        events.refused(source, hostName, kind, why);
        return refused(Outcome.REFUSED, why + "\n");
      }
    }
    return new Checked(null, s, now, host, record, i);
  }

  private static Checked refused(Outcome outcome, String body) {
    return refused(Answer.of(outcome, body));
  }

  private static Checked refused(Answer refusal) {
    return new Checked(refusal, null, null, null, Optional.empty(), null);
  }

  /** A host's addresses: as {@link InetAddress#getHostAddress} writes them, and as shown. */
  private record Addresses(List<String> literals, List<String> shown) {}

  /** The host's inventory addresses, and its active DHCP leases when serve hands them out. */
  private Addresses addresses(Host host, Instant now) {
    List<String> literals = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (Interface nic : host.interfaces()) {
      for (String ip : new String[] {nic.ip(), nic.ip6()}) {
        if (ip != null) {
          literals.add(canonical(ip));
          shown.add(ip);
        }
      }
    }
    LeaseStore l = leases;
    if (l != null) {
      for (Interface nic : host.interfaces()) {
        l.byMac(nic.mac())
            .filter(lease -> lease.activeAt(now))
            .ifPresent(
                lease -> {
                  literals.add(lease.ip().getHostAddress());
                  shown.add(lease.ip().getHostAddress() + " (DHCP lease of " + nic.mac() + ")");
                });
      }
    }
    return new Addresses(literals, shown);
  }

  /** An address literal in the form {@link InetAddress#getHostAddress} gives (IPv6 expanded). */
  private static String canonical(String literal) {
    try {
      // a literal: no name lookup happens
      return InetAddress.getByName(literal).getHostAddress();
    } catch (UnknownHostException e) {
      return literal;
    }
  }

  /** Called with the host's name after each accepted install callback (baseline scan, DNS). */
  public void onInstalled(Consumer<String> listener) {
    onInstalled.add(listener);
  }

  /**
   * Called with the inventory before and after each reload of the file (serve's DNS upkeep), on the
   * background thread, after the new inventory is in use.
   */
  public void onReload(BiConsumer<Inventory, Inventory> listener) {
    onReload.add(listener);
  }

  /**
   * What was wrong with the inventory file when it was last read ({@code FILE:LINE:COL: …}, one
   * problem an entry, as {@code kickdrift lint} prints them); empty when the file in use loaded.
   * The inventory in use meanwhile is the last good one.
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * A host's files as the installer would get them now (the kickstart, and each boot loader's menu
   * per interface by its path), rendered with {@code token} in place of the install token, which
   * only the host itself may see. Records nothing.
   */
  public Optional<Map<String, String>> preview(String hostName, String token)
      throws RenderException {
    Snapshot s = snapshot;
    Host host = s.byName().get(hostName);
    if (host == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    boolean pending = phase(host, state.host(hostName), now) == InstallPhase.PENDING;
    HostModel model =
        Models.host(
            s.inventory(),
            host.withNetboot(pending),
            s.site().serverAddress(),
            s.site().baseUrl(),
            name -> pending ? Optional.of(token) : Optional.empty(),
            desired(s, host));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("kickstart", renderer.renderKickstart(s.site(), model));
    for (NicModel nic : model.nics()) {
      for (TreeRenderer.Menu menu : TreeRenderer.Menu.values()) {
        files.put(menu.hostPath(nic.pxeName()), renderer.renderMenu(s.site(), model, nic, menu));
      }
    }
    return Optional.of(files);
  }

  /** The inventory in use now; never waits for a reload. */
  public Inventory inventory() {
    return snapshot.inventory();
  }

  /** The inventory host of that name now, if there is one. */
  public Optional<Host> host(String name) {
    return Optional.ofNullable(snapshot.byName().get(name));
  }

  /**
   * Turns netboot on with a new install window (reinstall at next boot; any earlier window's token
   * is dead) or off; empty for an unknown host.
   */
  public Optional<HostStatus> setNetboot(String hostName, boolean enabled, String by) {
    Snapshot s = snapshot;
    Host host = s.byName().get(hostName);
    if (host == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    String from = status(host, state.host(hostName), now).state();
    if (enabled) {
      state.enable(
          hostName, Install.start(now, s.inventory().server().tokenLifetime()), host.netboot(), by);
    } else {
      state.disable(hostName, host.netboot(), now, by);
    }
    HostStatus after = status(host, state.host(hostName), now);
    metrics.transition(from, after.state());
    return Optional.of(after);
  }

  /** Every inventory host with its state, in inventory order. */
  public List<HostStatus> hosts() {
    return rows().stream().map(Row::status).toList();
  }

  /** An inventory host and its state now. */
  record Row(Host host, HostStatus status) {}

  /**
   * Every inventory host with its state, in inventory order, from one snapshot and one read of the
   * state (never a query per host).
   */
  List<Row> rows() {
    Snapshot s = snapshot;
    Map<String, HostRecord> records = state.hosts();
    Instant now = clock.instant();
    List<Row> rows = new ArrayList<>(s.inventory().hosts().size());
    for (Host h : s.inventory().hosts()) {
      rows.add(new Row(h, status(h, Optional.ofNullable(records.get(h.name())), now)));
    }
    return rows;
  }

  /** One inventory host with its state now. */
  Optional<Row> row(String name) {
    Host h = snapshot.byName().get(name);
    return h == null
        ? Optional.empty()
        : Optional.of(new Row(h, status(h, state.host(name), clock.instant())));
  }

  private static HostStatus status(Host host, Optional<HostRecord> record, Instant now) {
    InstallPhase phase = phase(host, record, now);
    Instant installed = record.map(HostRecord::installed).orElse(null);
    Instant expires =
        InstallPhase.install(host.netboot(), record).map(Install::expires).orElse(null);
    return new HostStatus(
        host.name(),
        host.profile(),
        host.interfaces().stream().map(Interface::mac).toList(),
        phase == InstallPhase.PENDING || phase == InstallPhase.UNISSUED,
        phase.label(installed),
        installed,
        expires);
  }

  public StateStore state() {
    return state;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
