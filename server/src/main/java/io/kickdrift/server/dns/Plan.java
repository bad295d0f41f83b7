package io.kickdrift.server.dns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * What one zone needs to match the inventory: a pure function of the wanted records, the zone's
 * current content and the owner id.
 *
 * <p>kickdrift owns a name's address records (A and AAAA in a forward zone, PTR in a reverse zone)
 * exactly when the name carries its ownership marker, a TXT record {@code
 * "heritage=kickdrift,kickdrift/owner=OWNER"}. It creates a name's records only where none of those
 * types (nor a CNAME) exist yet, changes or removes them only where its marker stands, and leaves
 * every other record of the name (another TXT, MX, SSHFP...) alone. A name with records it does not
 * own that the inventory wants is a conflict: reported, never touched.
 */
public record Plan(Name zone, List<Change> changes) {
  /** What happens to one name. */
  public enum Kind {
    CREATE,
    UPDATE,
    DELETE,
    CONFLICT
  }

  /**
   * @param before the managed records the name has now
   * @param after the managed records it will have
   * @param txt the name's whole TXT RRset now (a prerequisite of the update)
   * @param why for a conflict, what stands in the way
   */
  public record Change(
      Kind kind,
      Name name,
      List<Record> before,
      List<Record> after,
      List<Record> txt,
      String why) {}

  private static final Set<Integer> FORWARD = Set.of(Type.A, Type.AAAA);
  private static final Set<Integer> REVERSE = Set.of(Type.PTR);

  /** The marker's text for {@code owner}. */
  public static String marker(String owner) {
    return "heritage=kickdrift,kickdrift/owner=" + owner;
  }

  /** The marker record at {@code name}. */
  public static TXTRecord marker(Name name, long ttl, String owner) {
    return new TXTRecord(name, DClass.IN, ttl, marker(owner));
  }

  /** The record types kickdrift manages in {@code zone}: PTR in a reverse zone, else A and AAAA. */
  public static Set<Integer> managed(Name zone) {
    String z = zone.toString(true).toLowerCase(java.util.Locale.ROOT);
    return z.endsWith("in-addr.arpa") || z.endsWith("ip6.arpa") ? REVERSE : FORWARD;
  }

  /**
   * Plans {@code zone}.
   *
   * @param wanted the wanted records by name (all of the zone's, or only some names for a scoped
   *     sync)
   * @param current every record of the zone now, by name
   * @param scope the names to consider; {@code null} for every name of the zone
   */
  public static Plan of(
      Name zone,
      Map<Name, List<Record>> wanted,
      Map<Name, List<Record>> current,
      String owner,
      long ttl,
      Collection<Name> scope) {
    Set<Integer> managed = managed(zone);
    String mark = marker(owner);
    TreeSet<Name> names = new TreeSet<>();
    if (scope == null) {
      names.addAll(wanted.keySet());
      current.forEach(
          (n, rs) -> {
            if (rs.stream().anyMatch(r -> isMarker(r, mark))) {
              names.add(n);
            }
          });
    } else {
      names.addAll(scope);
    }
    List<Change> changes = new ArrayList<>();
    for (Name name : names) {
      List<Record> want = sorted(wanted.getOrDefault(name, List.of()));
      List<Record> here = current.getOrDefault(name, List.of());
      List<Record> have = sorted(here.stream().filter(r -> managed.contains(r.getType())).toList());
      List<Record> txt = sorted(here.stream().filter(r -> r.getType() == Type.TXT).toList());
      boolean owned = txt.stream().anyMatch(r -> isMarker(r, mark));
      if (owned) {
        if (want.isEmpty()) {
          changes.add(new Change(Kind.DELETE, name, have, List.of(), txt, null));
        } else if (!same(have, want)) {
          changes.add(new Change(Kind.UPDATE, name, have, want, txt, null));
        }
        continue;
      }
      if (want.isEmpty()) {
        continue;
      }
      String why = obstacle(here, have, txt);
      if (why == null) {
        changes.add(new Change(Kind.CREATE, name, List.of(), want, txt, null));
      } else if (!have.stream()
          .map(Plan::rdata)
          .toList()
          .equals(want.stream().map(Plan::rdata).toList())) {
        changes.add(new Change(Kind.CONFLICT, name, have, want, txt, why));
      }
    }
    return new Plan(zone, List.copyOf(changes));
  }

  /** Whether the plan sends nothing: no create, update or delete. */
  public boolean inStep() {
    return changes.stream().allMatch(c -> c.kind() == Kind.CONFLICT);
  }

  public List<Change> conflicts() {
    return changes.stream().filter(c -> c.kind() == Kind.CONFLICT).toList();
  }

  public List<Change> updates() {
    return changes.stream().filter(c -> c.kind() != Kind.CONFLICT).toList();
  }

  private static String obstacle(List<Record> here, List<Record> have, List<Record> txt) {
    if (!have.isEmpty()) {
      return "it has "
          + have.stream().map(Plan::rdata).toList()
          + " without kickdrift's ownership marker (hand-made or another tool's); left alone";
    }
    if (here.stream().anyMatch(r -> r.getType() == Type.CNAME)) {
      return "it is a CNAME; left alone";
    }
    List<String> others =
        txt.stream()
            .map(Plan::rdata)
            .filter(t -> t.contains("heritage=kickdrift,kickdrift/owner="))
            .toList();
    if (!others.isEmpty()) {
      return "another kickdrift owner's marker stands there " + others + "; left alone";
    }
    return null;
  }

  static boolean isMarker(Record r, String text) {
    return r instanceof TXTRecord t && t.getStrings().equals(List.of(text));
  }

  /** Same records, data and TTL. */
  static boolean same(List<Record> a, List<Record> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i)) || a.get(i).getTTL() != b.get(i).getTTL()) {
        return false;
      }
    }
    return true;
  }

  static List<Record> sorted(List<Record> records) {
    return records.stream()
        .sorted(Comparator.comparingInt(Record::getType).thenComparing(Plan::rdata))
        .toList();
  }

  static String rdata(Record r) {
    return Type.string(r.getType()) + " " + r.rdataToString();
  }
}
