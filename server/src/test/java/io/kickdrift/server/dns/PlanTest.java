package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

class PlanTest {
  static final Name ZONE = HostNames.absolute("lab.example.com");
  static final Name WEB = HostNames.absolute("web01.lab.example.com");

  static ARecord a(Name name, String ip, long ttl) {
    try {
      return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(ip));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static Plan plan(Map<Name, List<Record>> wanted, Map<Name, List<Record>> current) {
    return Plan.of(ZONE, wanted, current, "kickdrift", 600, null);
  }

  /** The one change of a plan: there must be exactly one. */
  private static Plan.Change onlyChange(List<Plan.Change> changes) {
    assertThat(changes).hasSize(1);
    return changes.get(0);
  }

  @Test
  void aFreeNameIsCreated() {
    Plan plan = plan(Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600))), Map.of());

    Plan.Change c = onlyChange(plan.changes());
    assertThat(c.kind()).isEqualTo(Plan.Kind.CREATE);
    assertThat(c.after()).containsExactly(a(WEB, "192.0.2.21", 600));
  }

  @Test
  void anOwnedNameMatchingTheInventoryIsInStep() {
    Map<Name, List<Record>> current =
        Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600), Plan.marker(WEB, 600, "kickdrift")));

    Plan plan = plan(Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600))), current);

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.inStep()).isTrue();
  }

  @Test
  void anOwnedNameIsUpdatedForANewAddressOrTtlAndDeletedWhenGone() {
    Map<Name, List<Record>> current =
        Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600), Plan.marker(WEB, 600, "kickdrift")));

    assertThat(plan(Map.of(WEB, List.of(a(WEB, "192.0.2.31", 600))), current).changes())
        .extracting(Plan.Change::kind)
        .containsExactly(Plan.Kind.UPDATE);
    assertThat(plan(Map.of(WEB, List.of(a(WEB, "192.0.2.21", 300))), current).changes())
        .extracting(Plan.Change::kind)
        .containsExactly(Plan.Kind.UPDATE);
    Plan.Change c = onlyChange(plan(Map.of(), current).changes());
    assertThat(c.kind()).isEqualTo(Plan.Kind.DELETE);
    assertThat(c.before()).containsExactly(a(WEB, "192.0.2.21", 600));
  }

  @Test
  void handMadeRecordsCnamesAndOtherOwnersAreConflictsNeverChanges() {
    Map<Name, List<Record>> want = Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600)));

    Plan handMade = plan(want, Map.of(WEB, List.of(a(WEB, "192.0.2.50", 3600))));
    Plan cname =
        plan(
            want,
            Map.of(
                WEB,
                List.of(new CNAMERecord(WEB, DClass.IN, 600, HostNames.absolute("x.example.")))));
    Plan other = plan(want, Map.of(WEB, List.of(Plan.marker(WEB, 600, "site-b"))));

    Plan.Change conflict = onlyChange(handMade.changes());
    assertThat(conflict.kind()).isEqualTo(Plan.Kind.CONFLICT);
    assertThat(conflict.why())
        .contains("A 192.0.2.50")
        .contains("without kickdrift's ownership marker");
    assertThat(cname.conflicts())
        .singleElement()
        .satisfies(c -> assertThat(c.why()).contains("CNAME"));
    assertThat(other.conflicts())
        .singleElement()
        .satisfies(c -> assertThat(c.why()).contains("owner=site-b"));
    assertThat(handMade.updates()).isEmpty();
    assertThat(handMade.inStep()).isTrue();
  }

  @Test
  void handMadeRecordsEqualToTheInventoryAreNotAConflict() {
    Plan plan =
        plan(
            Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600))),
            Map.of(WEB, List.of(a(WEB, "192.0.2.21", 3600))));

    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void namesWithoutTheMarkerAreNeverDeleted() {
    Plan plan = plan(Map.of(), Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600))));

    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void aScopedPlanLooksOnlyAtItsNames() {
    Name other = HostNames.absolute("web02.lab.example.com");
    Map<Name, List<Record>> current =
        Map.of(other, List.of(a(other, "192.0.2.22", 600), Plan.marker(other, 600, "kickdrift")));

    Plan plan =
        Plan.of(
            ZONE,
            Map.of(WEB, List.of(a(WEB, "192.0.2.21", 600))),
            current,
            "kickdrift",
            600,
            List.of(WEB));

    assertThat(plan.changes()).extracting(Plan.Change::name).containsExactly(WEB);
  }

  @Test
  void reverseZonesManagePtrAndLeaveOtherTypes() {
    Name rev = HostNames.absolute("2.0.192.in-addr.arpa");
    Name at = HostNames.absolute("21.2.0.192.in-addr.arpa");
    PTRRecord ptr = new PTRRecord(at, DClass.IN, 600, WEB);
    Map<Name, List<Record>> current =
        Map.of(at, List.of(new TXTRecord(at, DClass.IN, 600, "note")));

    Plan plan = Plan.of(rev, Map.of(at, List.of(ptr)), current, "kickdrift", 600, null);

    assertThat(Plan.managed(rev)).containsExactly(Type.PTR);
    Plan.Change c = onlyChange(plan.changes());
    assertThat(c.kind()).isEqualTo(Plan.Kind.CREATE);
    assertThat(c.txt()).hasSize(1);
  }

  @Test
  void updatesCarryPrerequisitesForEveryNameAndTouchOnlyManagedTypes() {
    Map<Name, List<Record>> current =
        Map.of(
            WEB,
            List.of(
                a(WEB, "192.0.2.21", 600),
                Plan.marker(WEB, 600, "kickdrift"),
                new MXRecord(WEB, DClass.IN, 600, 10, HostNames.absolute("mail.lab.example.com"))));
    Plan plan = plan(Map.of(WEB, List.of(a(WEB, "192.0.2.31", 600))), current);

    Update update = Updates.of(ZONE, plan.updates(), "kickdrift", 600);

    List<Record> prereqs = update.getSection(org.xbill.DNS.Section.PREREQ);
    List<Record> changes = update.getSection(org.xbill.DNS.Section.UPDATE);
    assertThat(prereqs).allSatisfy(r -> assertThat(r.getTTL()).isZero());
    // TXT exactly as read (value-dependent), A exactly as read, AAAA absent
    assertThat(prereqs)
        .extracting(r -> Type.string(r.getType()) + " " + DClass.string(r.getDClass()))
        .containsExactlyInAnyOrder("TXT IN", "A IN", "AAAA NONE");
    assertThat(changes)
        .extracting(
            r ->
                Type.string(r.getType())
                    + " "
                    + DClass.string(r.getDClass())
                    + " "
                    + r.rdataToString())
        .containsExactly("A ANY ", "A IN 192.0.2.31");
  }
}
