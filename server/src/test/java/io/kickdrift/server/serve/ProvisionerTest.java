package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kickdrift.server.dhcp.LeaseStore;
import io.kickdrift.server.dhcp.MemoryLeaseStore;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.serve.Provisioner.Answer;
import io.kickdrift.server.serve.Provisioner.Outcome;
import io.kickdrift.server.state.Event;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionerTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final String WEB01 = "web01.lab.example.com";
  private static final String WEB01_MENU = "pxelinux.cfg/01-52-54-00-12-34-01";
  private static final String WEB02 = "web02.lab.example.com";
  private static final String WEB02_MENU = "pxelinux.cfg/01-52-54-00-12-34-02";
  private static final InetAddress WEB01_IP = ip("192.0.2.21");
  private static final InetAddress WEB02_IP = ip("192.0.2.22");
  private static final InetAddress STRANGER = ip("192.0.2.99");
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private final CallbackTokens tokens = new CallbackTokens(new byte[32]);
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final TestClock clock = new TestClock(T0);

  private Provisioner provisioner(Path inventory, StateStore state) throws Exception {
    return new Provisioner(
        inventory,
        inv -> inv,
        tokens,
        new TreeRenderer(new Templates(null)),
        state,
        clock,
        log::add);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The example inventory with {@code from} replaced by {@code to}, in {@code dir}. */
  private static Path inventory(Path dir, String from, String to) throws Exception {
    Path file = dir.resolve("inventory.yaml");
    String text = Files.readString(EXAMPLE);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
    return file;
  }

  /** Rewrites the file and moves its mtime, so the next look sees a change. */
  private static void edit(Path file, String from, String to, int second) throws Exception {
    Files.writeString(file, Files.readString(file).replace(from, to));
    Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(second)));
  }

  /** The token the host's menu carries now: what its installer would use. */
  private static String menuToken(Provisioner p, String menu, String host) throws Exception {
    String text = text(p.menu(menu, "tftp 192.0.2.21").orElseThrow());
    Matcher m = Pattern.compile("/ks/" + Pattern.quote(host) + "/([0-9a-f]{32})").matcher(text);
    assertThat(m.find()).as("an install menu with a token:%n%s", text).isTrue();
    return m.group(1);
  }

  @Test
  void anEditedInventoryIsServedAndABrokenEditKeepsTheLastGoodOne(@TempDir Path dir)
      throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.copy(EXAMPLE, inventory);
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"));
        Provisioner p = provisioner(inventory, state)) {
      p.start();
      String token = menuToken(p, WEB01_MENU, WEB01);
      assertThat(p.kickstart(WEB01, token, WEB01_IP).body()).contains("timezone UTC --utc");

      edit(inventory, "timezone: UTC", "timezone: Europe/Berlin", 1);
      assertThat(p.reloadIfChanged()).isTrue();
      assertThat(p.kickstart(WEB01, token, WEB01_IP).body()).contains("timezone Europe/Berlin");
      assertThat(log).anyMatch(l -> l.contains("reloaded: 3 hosts"));

      edit(inventory, "profile: web-rocky9", "profile: nosuch", 2);
      assertThat(p.reloadIfChanged()).isFalse();
      assertThat(p.reloadIfChanged()).isFalse();
      assertThat(p.kickstart(WEB01, token, WEB01_IP).body()).contains("timezone Europe/Berlin");
      assertThat(log)
          .filteredOn(
              l ->
                  l.startsWith("inventory not reloaded: ")
                      && l.contains("unknown profile 'nosuch'"))
          .hasSize(2); // two hosts use the profile; logged once, not at every look
    }
  }

  @Test
  void anEditToOneHostKeepsTheOtherHostsRenderedKickstarts(@TempDir Path dir) throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.copy(EXAMPLE, inventory);
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"));
        Provisioner p = provisioner(inventory, state)) {
      p.start();
      p.setNetboot(WEB02, true, "test");
      String web01 = menuToken(p, WEB01_MENU, WEB01);
      String web02 = menuToken(p, WEB02_MENU, WEB02);
      String first01 = p.kickstart(WEB01, web01, WEB01_IP).body();
      String first02 = p.kickstart(WEB02, web02, WEB02_IP).body();

      // web02's own entry changes; web01's is untouched
      edit(
          inventory,
          "        ip: 192.0.2.140\n",
          "        ip: 192.0.2.140\n    variables:\n      timezone: Asia/Tokyo\n",
          1);
      assertThat(p.reloadIfChanged()).isTrue();
      assertThat(p.kickstart(WEB01, web01, WEB01_IP).body())
          .as("not rendered again")
          .isSameAs(first01);
      assertThat(p.kickstart(WEB02, web02, WEB02_IP).body())
          .isNotSameAs(first02)
          .contains("timezone Asia/Tokyo");

      // an edit of the defaults touches every host: nothing is kept
      edit(inventory, "timezone: UTC", "timezone: Europe/Berlin", 2);
      assertThat(p.reloadIfChanged()).isTrue();
      assertThat(p.kickstart(WEB01, web01, WEB01_IP).body()).contains("timezone Europe/Berlin");
    }
  }

  @Test
  void aHostFileAddedEditedBrokenOrRemovedIsSeenByTheNextLook(@TempDir Path dir) throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, Files.readString(EXAMPLE) + "host-files: [hosts.d/*.yaml]\n");
    Path hostsDir = Files.createDirectories(dir.resolve("hosts.d"));
    Path db01 = hostsDir.resolve("db01.yaml");
    String db01Menu = "pxelinux.cfg/01-52-54-00-12-34-10";
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"));
        Provisioner p = provisioner(inventory, state)) {
      p.start();
      assertThat(p.reloadIfChanged()).isFalse();
      assertThat(p.menu(db01Menu, "tftp 192.0.2.30")).isEmpty();

      Files.writeString(
          db01,
          "hosts:\n  - name: db01.lab.example.com\n    profile: web-rocky9\n    netboot: true\n"
              + "    interfaces:\n      - {name: eth0, mac: \"52:54:00:12:34:10\", ip: 192.0.2.30}\n");
      assertThat(p.reloadIfChanged()).isTrue();
      assertThat(log).anyMatch(l -> l.contains("reloaded: 4 hosts"));
      assertThat(text(p.menu(db01Menu, "tftp 192.0.2.30").orElseThrow()))
          .contains("/ks/db01.lab.example.com/");
      assertThat(p.reloadIfChanged()).isFalse();

      edit(db01, "profile: web-rocky9", "profile: nosuch", 1);
      assertThat(p.reloadIfChanged()).isFalse();
      assertThat(log)
          .contains(
              "inventory not reloaded: "
                  + db01
                  + ":3:5: hosts[0].profile: unknown profile 'nosuch'");
      assertThat(p.menu(db01Menu, "tftp 192.0.2.30")).as("the last good inventory").isPresent();

      Files.delete(db01);
      assertThat(p.reloadIfChanged()).isTrue();
      assertThat(log).anyMatch(l -> l.contains("reloaded: 3 hosts"));
      assertThat(p.menu(db01Menu, "tftp 192.0.2.30")).isEmpty();

      // a new pattern naming a file not there yet: refused once, then loaded when it appears
      edit(inventory, "host-files: [hosts.d/*.yaml]", "host-files: [hosts.d/*.yaml, lab.yaml]", 3);
      assertThat(p.reloadIfChanged()).isFalse();
      assertThat(p.reloadIfChanged()).as("logged once, not at every look").isFalse();
      assertThat(log).filteredOn(l -> l.contains("no file " + dir.resolve("lab.yaml"))).hasSize(1);
      Files.writeString(
          dir.resolve("lab.yaml"),
          "hosts:\n  - name: db01.lab.example.com\n    profile: web-rocky9\n"
              + "    interfaces:\n      - {name: eth0, mac: \"52:54:00:12:34:10\", ip: 192.0.2.30}\n");
      assertThat(p.reloadIfChanged()).as("the file it waited for").isTrue();
      assertThat(p.menu(db01Menu, "tftp 192.0.2.30")).isPresent();
      assertThat(p.reloadIfChanged()).isFalse();
    }
  }

  @Test
  void reloadNowReadsAnUnchangedFileAndABrokenOneNamesFileAndLine(@TempDir Path dir)
      throws Exception {
    Path inventory = Files.copy(EXAMPLE, dir.resolve("inventory.yaml"));
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"));
        Provisioner p = provisioner(inventory, state)) {
      assertThat(p.reloadIfChanged()).isFalse();
      Provisioner.Reloaded again = p.reloadNow("SIGHUP");
      assertThat(again.ok()).isTrue();
      assertThat(again.detail()).endsWith("reloaded: 3 hosts (SIGHUP)");

      Files.writeString(
          inventory, Files.readString(inventory).replace("hosts:\n", "hosts:\n  - [\n"));
      Provisioner.Reloaded broken = p.reloadNow("SIGHUP");
      assertThat(broken.ok()).isFalse();
      assertThat(broken.detail())
          .containsPattern("inventory not reloaded: \\S*inventory.yaml:\\d+");
      assertThat(p.inventory().hosts()).hasSize(3);
    }
  }

  @Test
  void phaseChangesAndRendersAreCounted(@TempDir Path dir) throws Exception {
    io.kickdrift.server.metrics.ServeMetrics metrics =
        io.kickdrift.server.metrics.ServeMetrics.prometheus();
    try (StateStore state = SqliteStateStore.open(dir);
        Provisioner p = provisioner(EXAMPLE, state)) {
      p.measure(metrics);
      p.start();
      String token = menuToken(p, WEB01_MENU, WEB01);
      assertThat(p.kickstart(WEB01, token, WEB01_IP).outcome()).isEqualTo(Provisioner.Outcome.OK);
      assertThat(p.installed(WEB01, token, WEB01_IP).outcome()).isEqualTo(Provisioner.Outcome.OK);
      p.setNetboot(WEB02, true, "test");
      assertThat(metrics.scrape())
          .contains(
              "kickdrift_install_transitions_total{from=\"install-pending\",to=\"installed\"} 1.0",
              "kickdrift_install_transitions_total{from=\"local\",to=\"install-pending\"} 1.0",
              "kickdrift_render_duration_seconds_count{what=\"menu\"} 1",
              "kickdrift_render_duration_seconds_count{what=\"kickstart\"} 1");
    }
  }

  @Test
  void menusFollowTheHostsStateAndUnknownMacsGetNone(@TempDir Path dir) throws Exception {
    try (StateStore state = SqliteStateStore.open(dir);
        Provisioner p = provisioner(EXAMPLE, state)) {
      p.start();
      String token = menuToken(p, WEB01_MENU, WEB01);
      String id = state.host(WEB01).orElseThrow().install().shortId();
      assertThat(p.installed(WEB01, "0".repeat(32), WEB01_IP).outcome()).isEqualTo(Outcome.UNKNOWN);
      assertThat(p.installed("nosuch", token, WEB01_IP).outcome()).isEqualTo(Outcome.UNKNOWN);
      assertThat(p.installed(WEB01, token, WEB01_IP).outcome()).isEqualTo(Outcome.OK);
      String path = WEB01_MENU;
      assertThat(text(p.menu("/" + path, "tftp 192.0.2.21").orElseThrow()))
          .contains("DEFAULT local");
      assertThat(text(p.menu("PXELINUX.CFG/01-52-54-00-12-34-01", "tftp 192.0.2.21").orElseThrow()))
          .contains("DEFAULT local");
      assertThat(p.menu("pxelinux.cfg/01-aa-bb-cc-dd-ee-ff", "tftp 192.0.2.21")).isEmpty();
      assertThat(p.menu("pxelinux.cfg/C000021", "tftp 192.0.2.21")).isEmpty();
      assertThat(p.menu("images/vmlinuz", "tftp 192.0.2.21")).isEmpty();
      assertThat(text(p.menu("grub/grub.cfg-52:54:00:12:34:01", "tftp 192.0.2.21").orElseThrow()))
          .contains("set default=local");
      assertThat(state.events(WEB01, 10))
          .extracting(e -> e.kind() + ": " + e.detail())
          .containsExactly(
              "boot-menu: grub local for 52:54:00:12:34:01 to tftp 192.0.2.21",
              // the same menu to the same client again within the minute: counted, not stored
              "boot-menu: pxelinux local for 52:54:00:12:34:01 to tftp 192.0.2.21",
              "installed: install " + id + " finished; callback from 192.0.2.21",
              "callback-refused: wrong token from 192.0.2.21",
              "boot-menu: pxelinux install for 52:54:00:12:34:01 to tftp 192.0.2.21",
              "netboot-enabled: netboot: true in the inventory; install "
                  + id
                  + " until "
                  + T0.plus(Duration.ofHours(4)));
    }
  }

  @Test
  void eachInstallHasItsOwnTokenDeadAfterTheCallbackADisableOrItsLifetime(@TempDir Path dir)
      throws Exception {
    try (StateStore state = SqliteStateStore.open(dir);
        Provisioner p = provisioner(EXAMPLE, state)) {
      p.start();
      // web02 does not netboot: no menu token, no kickstart for any token
      assertThat(text(p.menu(WEB02_MENU, "tftp 192.0.2.22").orElseThrow()))
          .contains("DEFAULT local");

      p.setNetboot(WEB02, true, "test");
      String first = menuToken(p, WEB02_MENU, WEB02);
      assertThat(p.kickstart(WEB02, first, WEB02_IP).outcome()).isEqualTo(Outcome.OK);

      // a new enable is a new install: the old token is dead, the new one works
      clock.advance(Duration.ofMinutes(1));
      p.setNetboot(WEB02, true, "test again");
      String second = menuToken(p, WEB02_MENU, WEB02);
      assertThat(second).isNotEqualTo(first);
      assertThat(p.kickstart(WEB02, first, WEB02_IP).outcome()).isEqualTo(Outcome.UNKNOWN);
      assertThat(p.kickstart(WEB02, second, WEB02_IP).outcome()).isEqualTo(Outcome.OK);

      // the callback closes it: kickstart and callback with that token are refused after
      assertThat(p.installed(WEB02, second, WEB02_IP).outcome()).isEqualTo(Outcome.OK);
      assertThat(p.kickstart(WEB02, second, WEB02_IP).outcome()).isEqualTo(Outcome.UNKNOWN);
      assertThat(p.installed(WEB02, second, WEB02_IP).outcome()).isEqualTo(Outcome.UNKNOWN);

      // netboot disable closes it
      p.setNetboot(WEB02, true, "test");
      String third = menuToken(p, WEB02_MENU, WEB02);
      p.setNetboot(WEB02, false, "test");
      assertThat(p.kickstart(WEB02, third, WEB02_IP).outcome()).isEqualTo(Outcome.UNKNOWN);

      // its lifetime closes it (server.install-token-lifetime, 4h by default)
      p.setNetboot(WEB02, true, "test");
      String fourth = menuToken(p, WEB02_MENU, WEB02);
      clock.advance(Duration.ofHours(4));
      Answer late = p.kickstart(WEB02, fourth, WEB02_IP);
      assertThat(late.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(late.body()).contains("expired at", "kickdrift netboot enable " + WEB02);
      assertThat(p.installed(WEB02, fourth, WEB02_IP).outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(text(p.menu(WEB02_MENU, "tftp 192.0.2.22").orElseThrow()))
          .contains("DEFAULT local")
          .doesNotContain(fourth);
      assertThat(p.hosts())
          .filteredOn(h -> h.host().equals(WEB02))
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.state()).isEqualTo("install-expired");
                assertThat(h.netboot()).isFalse();
              });
      // ...until someone enables netboot again
      p.setNetboot(WEB02, true, "test");
      assertThat(p.kickstart(WEB02, menuToken(p, WEB02_MENU, WEB02), WEB02_IP).outcome())
          .isEqualTo(Outcome.OK);
    }
  }

  @Test
  void anUnknownHostAndAWrongTokenGetTheSameAnswer(@TempDir Path dir) throws Exception {
    try (StateStore state = SqliteStateStore.open(dir);
        Provisioner p = provisioner(EXAMPLE, state)) {
      p.start();
      Answer unknown = p.kickstart("nosuch.example.com", "0".repeat(32), WEB01_IP);
      Answer wrong = p.kickstart(WEB01, "0".repeat(32), WEB01_IP);
      Answer local = p.kickstart(WEB02, "0".repeat(32), WEB02_IP); // no install at all
      assertThat(wrong).isEqualTo(unknown).isEqualTo(local);
      assertThat(unknown.outcome()).isEqualTo(Outcome.UNKNOWN);
      assertThat(p.installed("nosuch.example.com", "x", WEB01_IP))
          .isEqualTo(p.installed(WEB01, "x", WEB01_IP));
    }
  }

  @Test
  void aKickstartOrCallbackFromAnAddressNotTheHostsIsRefusedSayingWhy(@TempDir Path dir)
      throws Exception {
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"));
        Provisioner p = provisioner(EXAMPLE, state)) {
      p.start();
      String token = menuToken(p, WEB01_MENU, WEB01);
      Answer ks = p.kickstart(WEB01, token, STRANGER);
      assertThat(ks.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(ks.body())
          .isEqualTo(
              "kickstart of "
                  + WEB01
                  + " refused: request from 192.0.2.99; expected one of the host's addresses"
                  + " (192.0.2.21), or server.kickstart-from: any in the inventory\n");
      assertThat(p.installed(WEB01, token, STRANGER).outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(state.events(WEB01, 2))
          .extracting(Event::kind)
          .containsExactly("callback-refused", "kickstart-refused");
      assertThat(state.events(WEB01, 1).get(0).detail()).contains("request from 192.0.2.99");

      // its active DHCP lease counts as its address (serve --dhcp); an expired one does not
      LeaseStore leases = new MemoryLeaseStore();
      p.useLeases(leases);
      leases.put(
          new LeaseStore.Lease(
              "52:54:00:12:34:01", (Inet4Address) STRANGER, T0.plus(Duration.ofMinutes(10))));
      assertThat(p.kickstart(WEB01, token, STRANGER).outcome()).isEqualTo(Outcome.OK);
      clock.advance(Duration.ofMinutes(10));
      assertThat(p.kickstart(WEB01, token, STRANGER).body())
          .contains("expected one of the host's addresses (192.0.2.21)");
    }
    Path any =
        inventory(dir, "  address: 192.0.2.10\n", "  address: 192.0.2.10\n  kickstart-from: any\n");
    try (StateStore state = SqliteStateStore.open(dir.resolve("state-any"));
        Provisioner p = provisioner(any, state)) {
      p.start();
      String token = menuToken(p, WEB01_MENU, WEB01);
      assertThat(p.kickstart(WEB01, token, STRANGER).outcome()).isEqualTo(Outcome.OK);
      assertThat(p.installed(WEB01, token, STRANGER).outcome()).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void theInventoryTurningNetbootOnStartsAnInstallInTheBackgroundReload(@TempDir Path dir)
      throws Exception {
    Path inventory =
        inventory(
            dir,
            "  - name: web02.lab.example.com\n    profile: web-rocky9\n",
            "  - name: web02.lab.example.com\n    profile: web-rocky9\n    netboot: false\n");
    Files.setLastModifiedTime(inventory, FileTime.from(T0));
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"));
        Provisioner p = provisioner(inventory, state)) {
      p.start();
      assertThat(p.hosts())
          .filteredOn(h -> h.host().equals(WEB02))
          .first()
          .extracting(Provisioner.HostStatus::state)
          .isEqualTo("local");
      edit(
          inventory,
          "web02.lab.example.com\n    profile: web-rocky9\n    netboot: false\n",
          "web02.lab.example.com\n    profile: web-rocky9\n    netboot: true\n",
          1);
      assertThat(p.reloadIfChanged()).isTrue();
      // issued by the reload, not by a request
      assertThat(state.host(WEB02).orElseThrow().install()).isNotNull();
      assertThat(state.events(WEB02, 1).get(0).detail())
          .startsWith("netboot: true in the inventory; install ");
      String token = menuToken(p, WEB02_MENU, WEB02);
      assertThat(p.kickstart(WEB02, token, WEB02_IP).outcome()).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void menusAnswerAtOnceWhileASlowInventoryLoadsAndTheListenersSeeItAfter(@TempDir Path dir)
      throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.copy(EXAMPLE, inventory);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean slow = new AtomicBoolean();
    Provisioner.Loader loader =
        file -> {
          Inventory inv = InventoryLoader.load(file);
          if (slow.get()) {
            loading.countDown();
            try {
              release.await(); // a huge inventory, as long as the test likes
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return inv;
        };
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"));
        Provisioner p =
            new Provisioner(
                inventory,
                loader,
                inv -> inv,
                tokens,
                new TreeRenderer(new Templates(null)),
                state,
                clock,
                log::add,
                EventLimiter.Settings.DEFAULT)) {
      List<String> reloads = Collections.synchronizedList(new ArrayList<>());
      p.onReload(
          (before, after) -> reloads.add(before.hosts().size() + "->" + after.hosts().size()));
      p.start(); // the background thread looks at the file every second
      slow.set(true);
      edit(inventory, "timezone: UTC", "timezone: Europe/Berlin", 1);
      assertThat(loading.await(30, TimeUnit.SECONDS)).as("the reload started").isTrue();

      // the reload is stuck in the loader: requests still answer, from the last inventory
      assertTimeoutPreemptively(
          Duration.ofSeconds(2),
          () -> {
            assertThat(text(p.menu(WEB01_MENU, "tftp 192.0.2.21").orElseThrow()))
                .contains("DEFAULT install");
            String token = menuToken(p, WEB01_MENU, WEB01);
            assertThat(p.kickstart(WEB01, token, WEB01_IP).body()).contains("timezone UTC");
            assertThat(p.hosts()).hasSize(3);
          });
      assertThat(reloads).isEmpty();

      release.countDown();
      CompletableFuture.runAsync(
              () -> {
                while (reloads.isEmpty()) {
                  Thread.onSpinWait();
                }
              })
          .get(30, TimeUnit.SECONDS);
      assertThat(reloads).containsExactly("3->3");
      String token = menuToken(p, WEB01_MENU, WEB01);
      assertThat(p.kickstart(WEB01, token, WEB01_IP).body()).contains("timezone Europe/Berlin");
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
