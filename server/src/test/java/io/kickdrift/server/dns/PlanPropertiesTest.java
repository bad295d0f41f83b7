package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The planner against random zones: applying its changes converges (a second plan changes nothing),
 * never touches a name it does not own, and never touches a record type it does not manage.
 */
class PlanPropertiesTest {
  static final List<Name> NAMES =
      List.of("a", "b", "c", "d").stream()
          .map(n -> HostNames.absolute(n + ".lab.example.com"))
          .toList();
  static final List<String> IPS = List.of("192.0.2.1", "192.0.2.2", "192.0.2.3");

  /** One random fact about a name: 0-2 addresses wanted, 0-2 present, a marker, a CNAME, an MX. */
  record Spec(
      int want, int have, int ttl, boolean ours, boolean theirs, boolean cname, boolean mx) {}

  @Provide
  Arbitrary<List<Spec>> zones() {
    Arbitrary<Spec> spec =
        net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7),
                Arbitraries.of(600, 3600),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 5),
                Arbitraries.of(true, false))
            .as((w, h, t, o, th, c, m) -> new Spec(w, h, t, o, th == 0, c == 0, m));
    return spec.list().ofSize(NAMES.size());
  }

  @Property(tries = 500)
  void applyingThePlanConvergesAndLeavesOthersAlone(@ForAll("zones") List<Spec> specs) {
    Map<Name, List<Record>> wanted = new HashMap<>();
    Map<Name, List<Record>> current = new HashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      Name n = NAMES.get(i);
      Spec s = specs.get(i);
      List<Record> want = addresses(n, s.want(), 600);
      if (!want.isEmpty()) {
        wanted.put(n, want);
      }
      List<Record> here = new ArrayList<>(addresses(n, s.have(), s.ttl()));
      if (s.ours()) {
        here.add(Plan.marker(n, 600, "kickdrift"));
      }
      if (s.theirs()) {
        here.add(Plan.marker(n, 600, "other"));
      }
      if (s.cname() && here.isEmpty()) {
        here.add(new CNAMERecord(n, DClass.IN, 600, HostNames.absolute("x.example")));
      }
      if (s.mx()) {
        here.add(new MXRecord(n, DClass.IN, 600, 10, HostNames.absolute("mx.example")));
      }
      if (!here.isEmpty()) {
        current.put(n, here);
      }
    }

    Plan plan = Plan.of(PlanTest.ZONE, wanted, current, "kickdrift", 600, null);
    Map<Name, List<Record>> after = apply(current, plan);

    assertThat(Plan.of(PlanTest.ZONE, wanted, after, "kickdrift", 600, null).updates()).isEmpty();
    for (Name n : NAMES) {
      List<Record> before = current.getOrDefault(n, List.of());
      List<Record> now = after.getOrDefault(n, List.of());
      boolean owned = before.stream().anyMatch(r -> Plan.isMarker(r, Plan.marker("kickdrift")));
      boolean changed = !Plan.sorted(before).equals(Plan.sorted(now));
      if (changed && !owned) {
        // only a free name may be taken: no address, no CNAME, no other owner
        assertThat(before)
            .noneMatch(r -> Set.of(Type.A, Type.AAAA, Type.CNAME).contains(r.getType()));
        assertThat(before).noneMatch(r -> Plan.isMarker(r, Plan.marker("other")));
      }
      assertThat(others(now)).isEqualTo(others(before));
      boolean free =
          before.stream().noneMatch(r -> Set.of(Type.A, Type.CNAME).contains(r.getType()))
              && before.stream().noneMatch(r -> Plan.isMarker(r, Plan.marker("other")));
      if (owned || free) {
        assertThat(Plan.sorted(now.stream().filter(r -> r.getType() == Type.A).toList()))
            .isEqualTo(Plan.sorted(wanted.getOrDefault(n, List.of())));
      }
    }
  }

  private static List<Record> others(List<Record> records) {
    return Plan.sorted(
        records.stream()
            .filter(r -> r.getType() != Type.A && !Plan.isMarker(r, Plan.marker("kickdrift")))
            .toList());
  }

  private static List<Record> addresses(Name n, int mask, long ttl) {
    List<Record> out = new ArrayList<>();
    for (int bit = 0; bit < IPS.size(); bit++) {
      if ((mask & (1 << bit)) != 0) {
        out.add(PlanTest.a(n, IPS.get(bit), ttl));
      }
    }
    return out;
  }

  /** What a server does with the plan's updates, as Updates.of describes them. */
  private static Map<Name, List<Record>> apply(Map<Name, List<Record>> zone, Plan plan) {
    Map<Name, List<Record>> out = new HashMap<>();
    zone.forEach((n, rs) -> out.put(n, new ArrayList<>(rs)));
    for (Plan.Change c : plan.updates()) {
      List<Record> at = out.computeIfAbsent(c.name(), n -> new ArrayList<>());
      at.removeIf(r -> r.getType() == Type.A || r.getType() == Type.AAAA);
      at.addAll(c.after());
      switch (c.kind()) {
        case CREATE -> at.add(Plan.marker(c.name(), 600, "kickdrift"));
        case DELETE -> at.removeIf(r -> Plan.isMarker(r, Plan.marker("kickdrift")));
        default -> {}
      }
      if (at.isEmpty()) {
        out.remove(c.name());
      }
    }
    return out;
  }
}
