package io.kickdrift.server.lint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A kickstart syntax version ({@code #version=RHEL9}) and the commands it accepts, from the tables
 * in {@code versions.txt} (pykickstart's handlers). Example: {@code
 * KickstartVersion.parse("RHEL9").get().status("auth")} is {@link Status#REMOVED}.
 */
final class KickstartVersion {
  /** What a version makes of a command or %section. */
  public enum Status {
    VALID,
    DEPRECATED,
    REMOVED,
    UNKNOWN
  }

  private static final Tables TABLES = Tables.load();

  private final String name;
  private final Set<String> commands;
  private final Map<String, Status> statuses;
  private final Map<String, String> hints;

  private KickstartVersion(
      String name, Set<String> commands, Map<String, Status> statuses, Map<String, String> hints) {
    this.name = name;
    this.commands = Set.copyOf(commands);
    this.statuses = Map.copyOf(statuses);
    this.hints = Map.copyOf(hints);
  }

  /** The version a {@code #version=} header names, e.g. {@code RHEL9} or {@code F41}. */
  public static Optional<KickstartVersion> parse(String name) {
    String key = name.strip().toUpperCase(Locale.ROOT);
    String target = TABLES.aliases.getOrDefault(key, key);
    return Optional.ofNullable(TABLES.versions.get(target));
  }

  /** The names {@link #parse} accepts, in the order of the tables. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(TABLES.versions.keySet());
    names.addAll(TABLES.aliases.keySet());
    return names;
  }

  public String name() {
    return name;
  }

  /** What this version makes of a command ({@code rootpw}) or a section ({@code %anaconda}). */
  public Status status(String word) {
    Status s = statuses.get(word);
    if (s != null) {
      return s;
    }
    if (word.startsWith("%")) {
      return TABLES.sections.contains(word) ? Status.VALID : Status.UNKNOWN;
    }
    return commands.contains(word) ? Status.VALID : Status.UNKNOWN;
  }

  /** pykickstart's advice for a deprecated or removed command, or empty. */
  public String hint(String word) {
    return hints.getOrDefault(word, "");
  }

  /** The commands this version accepts without complaint, sorted. */
  public Set<String> validCommands() {
    Set<String> valid = new TreeSet<>();
    for (String c : commands) {
      if (status(c) == Status.VALID) {
        valid.add(c);
      }
    }
    return valid;
  }

  /** The install sources this version knows (one is required), in the tables' order. */
  public List<String> installSources() {
    return TABLES.sources.stream().filter(s -> status(s) == Status.VALID).toList();
  }

  /** The other versions that accept a command this one does not. */
  List<String> versionsWith(String command) {
    return TABLES.versions.values().stream()
        .filter(v -> v.status(command) == Status.VALID)
        .map(KickstartVersion::name)
        .toList();
  }

  /** Whether pykickstart keeps every use of the command (data commands such as part or user). */
  static boolean repeatable(String command) {
    return TABLES.repeatable.contains(command);
  }

  /** One name for all spellings of a command ({@code poweroff} and {@code halt} are reboot). */
  static String canonical(String command) {
    return TABLES.same.getOrDefault(command, command);
  }

  static Set<String> sections() {
    return TABLES.sections;
  }

  /** Every command some version's parser knows, for when no version is declared. */
  static Set<String> allCommands() {
    Set<String> all = new TreeSet<>();
    TABLES.versions.values().forEach(v -> all.addAll(v.commands));
    return all;
  }

  @Override
  public String toString() {
    return name;
  }

  /** versions.txt, read once; its format is described at its top. */
  private record Tables(
      Map<String, KickstartVersion> versions,
      Map<String, String> aliases,
      Set<String> repeatable,
      Map<String, String> same,
      List<String> sources,
      Set<String> sections) {

    static Tables load() {
      try (InputStream in = KickstartVersion.class.getResourceAsStream("versions.txt")) {
        if (in == null) {
          throw new IllegalStateException("versions.txt missing from the jar");
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static Tables parse(String text) {
      Map<String, Set<String>> commands = new LinkedHashMap<>();
      Map<String, Map<String, Status>> statuses = new LinkedHashMap<>();
      Map<String, Map<String, String>> hints = new LinkedHashMap<>();
      Map<String, String> aliases = new LinkedHashMap<>();
      Set<String> repeatable = new LinkedHashSet<>();
      Map<String, String> same = new LinkedHashMap<>();
      List<String> sources = new ArrayList<>();
      Set<String> sections = new LinkedHashSet<>();
      List<String[]> everywhere = new ArrayList<>();
      for (String entry : entries(text)) {
        int colon = entry.indexOf(':');
        String[] head = entry.substring(0, colon).trim().split("\\s+");
        String rest = entry.substring(colon + 1).trim();
        List<String> words = Arrays.asList(rest.split("\\s+"));
        switch (head[0]) {
          case "version" -> {
            commands.put(head[1], new LinkedHashSet<>(words));
            statuses.put(head[1], new LinkedHashMap<>());
            hints.put(head[1], new LinkedHashMap<>());
          }
          case "alias" -> aliases.put(head[1], rest);
          case "deprecated", "removed" -> {
            int second = rest.indexOf(':');
            String word = rest.substring(0, second).trim();
            String hint = rest.substring(second + 1).trim();
            Status status = head[0].equals("removed") ? Status.REMOVED : Status.DEPRECATED;
            if (head[1].equals("*")) {
              everywhere.add(new String[] {word, hint});
              continue;
            }
            for (int i = 1; i < head.length; i++) {
              statuses.get(head[i]).put(word, status);
              hints.get(head[i]).put(word, hint);
            }
          }
          case "repeatable" -> repeatable.addAll(words);
          case "same" -> words.forEach(w -> same.put(w, words.get(0)));
          case "source" -> sources.addAll(words);
          case "section" -> sections.addAll(words);
          default -> throw new IllegalStateException("versions.txt: unknown entry " + head[0]);
        }
      }
      Map<String, KickstartVersion> versions = new LinkedHashMap<>();
      for (String name : commands.keySet()) {
        for (String[] gone : everywhere) {
          statuses.get(name).put(gone[0], Status.REMOVED);
          hints.get(name).put(gone[0], gone[1]);
        }
        versions.put(
            name,
            new KickstartVersion(name, commands.get(name), statuses.get(name), hints.get(name)));
      }
      // Unmodifiable views, not copies: messages list versions and sections in the file's order.
      return new Tables(
          Collections.unmodifiableMap(versions),
          Collections.unmodifiableMap(aliases),
          Set.copyOf(repeatable),
          Map.copyOf(same),
          List.copyOf(sources),
          Collections.unmodifiableSet(sections));
    }

    /** Entries without comments, each continuation line (indented) joined to its entry. */
    private static List<String> entries(String text) {
      List<String> entries = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (Character.isWhitespace(line.charAt(0)) && !entries.isEmpty()) {
          entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.trim());
        } else {
          entries.add(line.trim());
        }
      }
      return entries;
    }
  }
}
