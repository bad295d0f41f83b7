package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** Rendered zone files, read back by dnsjava's zone-file parser, hold exactly Wanted's records. */
class ZoneFilesPropertiesTest {
  /** One interface: the last octet of its IPv4 address and, maybe, of an IPv6 one. */
  record Nic(int octet, Integer ip6) {}

  /** A host: its name (dotted or not) and its interfaces. */
  record HostSpec(String name, boolean dotted, List<Nic> nics) {}

  @Provide
  Arbitrary<List<HostSpec>> hosts() {
    return hosts(Arbitraries.strings().withChars("abcxyz0123-"));
  }

  private static Arbitrary<List<HostSpec>> hosts(StringArbitrary names) {
    Arbitrary<Nic> nic =
        Combinators.combine(
                Arbitraries.integers().between(1, 254),
                Arbitraries.integers().between(1, 0xffff).injectNull(0.5))
            .as(Nic::new);
    Arbitrary<HostSpec> host =
        Combinators.combine(
                names.ofMinLength(1).ofMaxLength(12),
                Arbitraries.of(true, false),
                nic.list().ofMinSize(1).ofMaxSize(3))
            .as(HostSpec::new);
    return host.list().ofMaxSize(15);
  }

  /** The specs with names and addresses made unique and DNS-valid. */
  static Inventory inventory(List<HostSpec> specs) {
    Set<Integer> octets = new HashSet<>(Set.of(2)); // the name server's
    Set<Integer> sixes = new HashSet<>();
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      HostSpec s = specs.get(i);
      String label = "h" + i + s.name().replaceAll("-+$", "");
      String name = s.dotted() ? label + ".lab.example.com" : label;
      List<Interface> nics = new ArrayList<>();
      for (Nic n : s.nics()) {
        if (!octets.add(n.octet())) {
          continue;
        }
        String ip6 =
            n.ip6() != null && sixes.add(n.ip6())
                ? "2001:db8::" + Integer.toHexString(n.ip6())
                : null;
        nics.add(new Interface("eth" + nics.size(), null, "192.0.2." + n.octet(), ip6));
      }
      hosts.add(ZoneFilesTest.host(name, nics.toArray(Interface[]::new)));
    }
    hosts.add(ZoneFilesTest.NS1);
    return new Inventory(
        null, null, List.of(), List.of(), hosts, List.of(ZoneFilesTest.SUBNET), ZoneFilesTest.DNS);
  }

  /** Names with characters a zone file must escape ({@code " ( ) ; $ @}, space, tab, é). */
  @Provide
  Arbitrary<List<HostSpec>> hostileHosts() {
    return hosts(Arbitraries.strings().withChars("abc09-_\"();$@ \t*\u00e9"));
  }

  @Property(tries = 200)
  void theFilesParseAndHoldWantedsRecords(@ForAll("hosts") List<HostSpec> specs) throws Exception {
    holdWantedsRecords(inventory(specs));
  }

  @Property(tries = 200)
  void namesThatNeedEscapesParseBackAsTheSameNames(@ForAll("hostileHosts") List<HostSpec> specs)
      throws Exception {
    Inventory inventory = inventory(specs);
    try {
      Wanted.of(inventory);
    } catch (IllegalArgumentException e) {
      Assume.that(false); // not a DNS name (e.g. an empty label): the loader refuses it
    }
    holdWantedsRecords(inventory);
  }

  private static void holdWantedsRecords(Inventory inventory) throws Exception {
    Wanted wanted = Wanted.of(inventory);

    ZoneFiles.Result r =
        ZoneFiles.render(
            ZoneFilesTest.TEMPLATES,
            inventory,
            "site.yaml",
            p -> Optional.empty(),
            LocalDate.of(2026, 1, 2));

    for (Map.Entry<Name, Map<Name, List<Record>>> zone : wanted.zones().entrySet()) {
      byte[] file = r.files().get(ZoneFiles.path(zone.getKey()));
      assertThat(file).as("file of %s", zone.getKey()).isNotNull();
      Set<Record> parsed = new HashSet<>();
      SOARecord soa = null;
      try (Master master = new Master(new ByteArrayInputStream(file), zone.getKey(), 1)) {
        for (Record rec = master.nextRecord(); rec != null; rec = master.nextRecord()) {
          if (rec instanceof SOARecord s) {
            soa = s;
          }
          if (Set.of(Type.A, Type.AAAA, Type.PTR).contains(rec.getType())) {
            assertThat(rec.getTTL()).isEqualTo(ZoneFilesTest.DNS.ttl());
            assertThat(parsed.add(rec)).as("written once: %s", rec).isTrue();
          }
        }
      }
      Set<Record> expected = new HashSet<>();
      zone.getValue().values().forEach(expected::addAll);
      assertThat(parsed).isEqualTo(expected);
      assertThat(soa).isNotNull();
      assertThat(soa.getName()).isEqualTo(zone.getKey());
      assertThat(soa.getSerial()).isEqualTo(2026010200L);
    }
    assertThat(r.warnings()).isEmpty();
  }
}
