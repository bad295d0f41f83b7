package io.kickdrift.server.dns;

import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The RFC 2136 update for a batch of planned changes. Each name's prerequisites say it is still as
 * read: its TXT RRset (with or without the marker) and each managed RRset exactly as they were, or
 * absent where they were absent, and no CNAME where a name is created. The server applies the whole
 * message or none of it.
 */
final class Updates {
  private Updates() {}

  public static Update of(Name zone, List<Plan.Change> changes, String owner, long ttl) {
    Update update = new Update(zone);
    Set<Integer> managed = Plan.managed(zone);
    for (Plan.Change c : changes) {
      Name name = c.name();
      if (c.txt().isEmpty()) {
        update.absent(name, Type.TXT);
      } else {
        c.txt().forEach(r -> update.present(ttl0(r)));
      }
      for (int type : managed) {
        List<Record> before = of(c.before(), type);
        if (before.isEmpty()) {
          update.absent(name, type);
        } else {
          before.forEach(r -> update.present(ttl0(r)));
        }
      }
      if (c.kind() == Plan.Kind.CREATE) {
        update.absent(name, Type.CNAME);
      }
    }
    for (Plan.Change c : changes) {
      Name name = c.name();
      for (int type : managed) {
        List<Record> before = of(c.before(), type);
        List<Record> after = of(c.after(), type);
        if (Plan.same(before, after)) {
          continue;
        }
        if (!before.isEmpty()) {
          update.delete(name, type);
        }
        after.forEach(update::add);
      }
      switch (c.kind()) {
        case CREATE -> update.add(Plan.marker(name, ttl, owner));
        case DELETE -> update.delete(Plan.marker(name, ttl, owner));
        default -> {}
      }
    }
    return update;
  }

  /**
   * A value-dependent prerequisite must carry TTL 0 (RFC 2136 2.4.2), or the server says FORMERR.
   */
  private static Record ttl0(Record r) {
    return Record.newRecord(r.getName(), r.getType(), r.getDClass(), 0, r.rdataToWireCanonical());
  }

  private static List<Record> of(List<Record> records, int type) {
    return records.stream().filter(r -> r.getType() == type).toList();
  }
}
