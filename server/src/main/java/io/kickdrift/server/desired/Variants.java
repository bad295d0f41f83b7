package io.kickdrift.server.desired;

import io.kickdrift.server.drift.Fleet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a profile's hosts hold at one path, grouped into variants (docs/desired-state.md): hosts
 * with identical bytes are one variant; identical contents whose templates ({@link Templating},
 * each host with its own values) are the same text are one variant too, a templated one. Variants
 * are numbered from 1, most hosts first, then by their first host; outliers by the fleet view's
 * rule ({@link Fleet#outlying}).
 */
public final class Variants {
  /** What one host holds at the path: a stored blob, a link, or nothing (missing, not stored). */
  public sealed interface Held {
    /** A regular file stored as blob {@code id}. */
    record Blob(String id) implements Held {}

    /** A symbolic link to {@code target}. */
    record Link(String target) implements Held {}

    /** Listed but not held: {@code why} is the manifest's status (missing) or "not stored". */
    record Absent(String why) implements Held {}
  }

  /**
   * One variant.
   *
   * @param number 1 for the variant most hosts hold
   * @param hosts the hosts holding it, sorted
   * @param kind {@code file}, {@code template}, {@code binary}, {@code link}, {@code missing} or
   *     {@code not stored}
   * @param blob a blob of it (the first host's), or null for links and absent files
   * @param template the template text when {@code kind} is {@code template}, else null
   * @param variables the host values the template uses, sorted
   * @param link the target when {@code kind} is {@code link}
   */
  public record Variant(
      int number,
      List<String> hosts,
      String kind,
      String blob,
      String template,
      List<String> variables,
      String link) {
    public Variant {
      hosts = List.copyOf(hosts);
      variables = List.copyOf(variables);
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", number);
      m.put("kind", kind);
      m.put("hosts", hosts);
      m.put("blob", blob);
      m.put("variables", variables);
      m.put("template", template);
      m.put("link", link);
      return m;
    }
  }

  /** The variants of one path, and its outliers (hosts alone with a rare variant). */
  public record Path(String path, int hosts, List<Variant> variants, List<String> outliers) {
    public Path {
      variants = List.copyOf(variants);
      outliers = List.copyOf(outliers);
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", path);
      m.put("hosts", hosts);
      m.put("variants", variants.stream().map(Variant::json).toList());
      m.put("outliers", outliers);
      return m;
    }
  }

  private Variants() {}

  /**
   * The variants of {@code path} among {@code held} (host to what it holds), each host's values in
   * {@code values}; {@code read} gives a blob's bytes.
   */
  public static Path of(
      String path,
      Map<String, Held> held,
      Map<String, Map<String, String>> values,
      Function<String, byte[]> read) {
    Map<String, Templating.Compiled> compiled = new java.util.HashMap<>();
    values.forEach((h, v) -> compiled.put(h, Templating.compile(v)));
    return compiled(path, held, compiled, read);
  }

  /** {@link #of} with each host's values compiled once ({@link Templating#compile}). */
  public static Path compiled(
      String path,
      Map<String, Held> held,
      Map<String, Templating.Compiled> values,
      Function<String, byte[]> read) {
    // 1. identical: the same blob, link or absence
    Map<Held, List<String>> same = new LinkedHashMap<>();
    new TreeMap<>(held)
        .forEach((h, what) -> same.computeIfAbsent(what, k -> new ArrayList<>()).add(h));
    // 2. the same template: each group's template, when all its hosts agree on one
    Map<String, Group> byKey = new LinkedHashMap<>();
    for (Map.Entry<Held, List<String>> e : same.entrySet()) {
      Group g = group(e.getKey(), e.getValue(), values, read);
      byKey.merge(g.key, g, Group::merge);
    }
    List<Group> groups = new ArrayList<>(byKey.values());
    groups.sort(
        Comparator.<Group>comparingInt(g -> -g.hosts.size()).thenComparing(g -> g.hosts.get(0)));
    int most = groups.isEmpty() ? 0 : groups.get(0).hosts.size();
    List<Variant> variants = new ArrayList<>();
    List<String> outliers = new ArrayList<>();
    for (Group g : groups) {
      g.hosts.sort(null);
      variants.add(
          new Variant(
              variants.size() + 1,
              g.hosts,
              g.kind,
              g.blob,
              g.kind.equals("template") ? g.template.text() : null,
              g.kind.equals("template") ? g.template.variables() : List.of(),
              g.link));
      if (Fleet.outlying(g.hosts.size(), most, held.size())) {
        outliers.addAll(g.hosts);
      }
    }
    outliers.sort(null);
    return new Path(path, held.size(), variants, outliers);
  }

  /** Hosts that hold one variant, while it is being found. */
  private static final class Group {
    final String key;
    String kind;
    final String blob;
    final Templating.Template template;
    final String link;
    final List<String> hosts;

    Group(
        String key,
        String kind,
        String blob,
        Templating.Template template,
        String link,
        List<String> hosts) {
      this.key = key;
      this.kind = kind;
      this.blob = blob;
      this.template = template;
      this.link = link;
      this.hosts = new ArrayList<>(hosts);
    }

    /** Another identical group with the same template: one templated variant (this one). */
    Group merge(Group other) {
      hosts.addAll(other.hosts);
      kind = "template";
      return this;
    }
  }

  private static final Templating.Compiled NO_VALUES = Templating.compile(Map.of());

  private static Group group(
      Held what,
      List<String> hosts,
      Map<String, Templating.Compiled> values,
      Function<String, byte[]> read) {
    if (what instanceof Held.Link l) {
      return new Group("link:" + l.target(), "link", null, null, l.target(), hosts);
    }
    if (what instanceof Held.Absent a) {
      return new Group("absent:" + a.why(), a.why(), null, null, null, hosts);
    }
    String id = ((Held.Blob) what).id();
    var text = Templating.text(read.apply(id));
    if (text.isEmpty()) {
      return new Group("blob:" + id, "binary", id, null, null, hosts);
    }
    Templating.Template agreed = null;
    Templating.Template plain = null; // the text with no value of a host in it
    for (String h : hosts) {
      Templating.Compiled c = values.getOrDefault(h, NO_VALUES);
      Templating.Template t;
      if (c.mentions(text.get())) {
        t = c.of(text.get());
      } else {
        t = plain != null ? plain : (plain = NO_VALUES.of(text.get()));
      }
      if (agreed == null) {
        agreed = t;
      } else if (!agreed.equals(t)) {
        // identical bytes that template differently (one host's name on another host): the bytes
        // are the variant, as they are
        return new Group("blob:" + id, "file", id, null, null, hosts);
      }
    }
    return agreed.templated()
        ? new Group("template:" + agreed.text(), "template", id, agreed, null, hosts)
        : new Group("blob:" + id, "file", id, null, null, hosts);
  }
}
