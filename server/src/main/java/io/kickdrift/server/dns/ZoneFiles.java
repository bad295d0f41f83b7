package io.kickdrift.server.dns;

import io.kickdrift.server.inventory.Dns;
import io.kickdrift.server.inventory.DnsZone;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.ZoneModel;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The forward and reverse zone files {@code kickdrift render} writes for sites that serve DNS from
 * files: one {@code dns/db.<zone>} per zone of {@code dns.zones}, with SOA, NS and the records
 * {@link Wanted} gives the zone, laid out by the templates {@code dns/forward.ftl} and {@code
 * dns/reverse.ftl}. A pure function of the templates, the inventory, the files as they are and the
 * date.
 *
 * <p>The SOA serial changes only with the content: when a file's previous text differs from the new
 * one in nothing but the serial, the previous text is returned byte for byte (so a re-render writes
 * nothing); otherwise the serial becomes {@code max(previous + 1, YYYYMMDD00)} for today's date
 * (RFC 1912). Serials are 32-bit numbers compared in RFC 1982 serial arithmetic: when {@code
 * previous + 1} would pass 4294967295 the serial restarts at today's {@code YYYYMMDD00}, which
 * secondaries still see as an increase because it is more than 2^31 below the previous one (true
 * until 2147), and a warning says so.
 *
 * <pre>{@code
 * ZoneFiles.Result r =
 *     ZoneFiles.render(templates, inventory, "inventory.yaml", p -> Optional.empty(), today);
 * r.files().get("dns/db.lab.example.com"); // $ORIGIN lab.example.com. ... web01 IN A 192.0.2.21
 * }</pre>
 */
public final class ZoneFiles {
  /** The directory of the render tree the zone files go in. */
  public static final String DIRECTORY = "dns/";

  static final long REFRESH = 3600;
  static final long RETRY = 600;
  static final long EXPIRE = 1_209_600;
  static final long MINIMUM = 300;
  static final long MAX_SERIAL = 4_294_967_295L;

  /** The template of forward zones, under the template namespace of {@link Templates}. */
  public static final String FORWARD_TEMPLATE = "dns/forward.ftl";

  /** The template of reverse zones ({@code in-addr.arpa}, {@code ip6.arpa}). */
  public static final String REVERSE_TEMPLATE = "dns/reverse.ftl";

  /** The SOA line as the built-in templates write it; group 1 is the serial. */
  private static final Pattern SOA =
      Pattern.compile("(?m)^@\\s+IN\\s+SOA\\s+\\S+\\s+\\S+\\s+(\\d+)\\s");

  /**
   * @param files render-tree path ({@code dns/db.lab.example.com}) to the file's UTF-8 text
   * @param warnings one line per record no zone holds, serial trouble, and in-zone name servers
   *     without an address
   */
  public record Result(SortedMap<String, byte[]> files, List<String> warnings) {
    public Result {
      files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
      warnings = List.copyOf(warnings);
    }
  }

  /** A zone's text for a serial. */
  private interface Text {
    String of(long serial) throws RenderException;
  }

  private ZoneFiles() {}

  /**
   * The zone files of {@code inventory}; none without a {@code dns:} section.
   *
   * @param templates where {@link #FORWARD_TEMPLATE} and {@link #REVERSE_TEMPLATE} come from (a
   *     user's template directory first)
   * @param inventoryName named in each file's header
   * @param previous the current text of a render-tree path, if that file exists
   * @param today the date in date-based serials
   * @throws IllegalArgumentException for a zone without nameservers, which a loaded inventory never
   *     has
   * @throws RenderException when a zone template fails, naming template, line and zone
   */
  public static Result render(
      Templates templates,
      Inventory inventory,
      String inventoryName,
      Function<String, Optional<String>> previous,
      LocalDate today)
      throws RenderException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    Dns dns = inventory.dns();
    if (dns == null) {
      return new Result(files, warnings);
    }
    Wanted wanted = Wanted.of(inventory);
    wanted.outside().forEach(line -> warnings.add("zone files: " + line + "; not written"));
    for (DnsZone zone : dns.zones()) {
      if (zone.nameservers().isEmpty()) {
        // validation reports this for a loaded inventory; a hand-built one gets the same message
        throw new IllegalArgumentException(
            "dns.zones " + zone.name() + ": no nameservers; expected at least one for SOA and NS");
      }
      Name origin = HostNames.absolute(zone.name());
      Map<Name, List<Record>> records = wanted.zones().getOrDefault(origin, Map.of());
      warnings.addAll(nameserversWithoutAddress(origin, zone, records));
      String path = path(origin);
      Text text =
          serial -> text(templates, inventoryName, origin, zone, dns.ttl(), serial, records);
      Optional<String> before = previous.apply(path);
      String content = before.isPresent() ? next(path, before.get(), text, today, warnings) : null;
      if (content == null) {
        content = text.of(dateSerial(today));
      }
      files.put(path, content.getBytes(StandardCharsets.UTF_8));
    }
    return new Result(files, warnings);
  }

  /** The render-tree path of {@code zone}'s file: {@code dns/db.lab.example.com}. */
  public static String path(Name zone) {
    return DIRECTORY + "db." + zone.toString(true);
  }

  /** {@code today} as the serial {@code YYYYMMDD00}. */
  static long dateSerial(LocalDate today) {
    return today.getYear() * 1_000_000L
        + today.getMonthValue() * 10_000L
        + today.getDayOfMonth() * 100L;
  }

  /**
   * The file's text given the previous one: the previous itself when only the serial would differ,
   * else the text with the next serial; null when the previous serial is unreadable (warned).
   */
  private static String next(
      String path, String before, Text text, LocalDate today, List<String> warnings)
      throws RenderException {
    OptionalLong serial = serial(before);
    if (serial.isEmpty()) {
      warnings.add(
          path
              + ": no SOA serial of 0 to 4294967295 found in the previous file; serial "
              + dateSerial(today));
      return null;
    }
    long old = serial.getAsLong();
    if (text.of(old).equals(before)) {
      return before;
    }
    if (old == MAX_SERIAL) {
      warnings.add(
          path
              + ": SOA serial "
              + old
              + " + 1 would pass 4294967295; restarting at "
              + dateSerial(today)
              + " (an increase in RFC 1982 serial arithmetic)");
      return text.of(dateSerial(today));
    }
    return text.of(Math.max(old + 1, dateSerial(today)));
  }

  /** The SOA serial of a file this class wrote, if it has one within 0..4294967295. */
  static OptionalLong serial(String text) {
    Matcher m = SOA.matcher(text);
    if (!m.find() || m.group(1).length() > 10) {
      return OptionalLong.empty();
    }
    long serial = Long.parseLong(m.group(1));
    return serial > MAX_SERIAL ? OptionalLong.empty() : OptionalLong.of(serial);
  }

  /** The file's text: the zone's template with the model of {@code serial}. */
  private static String text(
      Templates templates,
      String inventoryName,
      Name origin,
      DnsZone zone,
      long ttl,
      long serial,
      Map<Name, List<Record>> records)
      throws RenderException {
    Name rname =
        zone.contact() != null
            ? HostNames.absolute(zone.contact())
            : HostNames.absolute("hostmaster." + origin);
    List<ZoneModel.Entry> entries = new ArrayList<>();
    records.forEach(
        (name, rs) -> {
          for (Record r : rs) {
            entries.add(
                new ZoneModel.Entry(
                    owner(name, origin), Type.string(r.getType()), r.rdataToString()));
          }
        });
    ZoneModel model =
        new ZoneModel(
            inventoryName,
            origin.toString(),
            ttl,
            HostNames.absolute(zone.nameservers().get(0)).toString(),
            rname.toString(),
            serial,
            REFRESH,
            RETRY,
            EXPIRE,
            MINIMUM,
            zone.nameservers().stream().map(ns -> HostNames.absolute(ns).toString()).toList(),
            List.copyOf(entries));
    return templates.render(
        template(origin), Map.of("zone", model), "zone " + origin.toString(true));
  }

  /** The template of a zone: PTR records in a reverse zone, A and AAAA in a forward one. */
  static String template(Name origin) {
    return Plan.managed(origin).contains(Type.PTR) ? REVERSE_TEMPLATE : FORWARD_TEMPLATE;
  }

  /** {@code name} relative to {@code origin}, {@code @} for the origin itself. */
  private static String owner(Name name, Name origin) {
    if (name.equals(origin)) {
      return "@";
    }
    return name.subdomain(origin) ? name.relativize(origin).toString() : name.toString();
  }

  /**
   * A name server inside the zone needs an address in it (named refuses the zone otherwise); the
   * file has one only when a host of the inventory carries that name.
   */
  private static List<String> nameserversWithoutAddress(
      Name origin, DnsZone zone, Map<Name, List<Record>> records) {
    List<String> warnings = new ArrayList<>();
    for (String ns : zone.nameservers()) {
      Name name = HostNames.absolute(ns);
      boolean inside = name.subdomain(origin);
      boolean addressed =
          records.getOrDefault(name, List.of()).stream()
              .anyMatch(r -> r.getType() == Type.A || r.getType() == Type.AAAA);
      if (inside && !addressed) {
        warnings.add(
            "zone "
                + origin.toString(true)
                + ": name server "
                + name
                + " is inside the zone but no host of the inventory has that name, so "
                + path(origin)
                + " has no address for it and named will not load it; name a host so or use a"
                + " name server outside the zone");
      }
    }
    return warnings;
  }
}
