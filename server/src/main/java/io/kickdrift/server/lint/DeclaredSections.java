package io.kickdrift.server.lint;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The script sections ({@code %pre}, {@code %pre-install}, {@code %post}, {@code %onerror}, {@code
 * %traceback}) that kickstart templates start: a template line that begins with the section's
 * header declares one such section. {@link KickstartLint} flags a script section of a rendered
 * kickstart that no declaring line accounts for: it came from a value, not from a template. A
 * rendered header matches a declaring line up to the line's first interpolation ({@code [=…]}) or
 * directive ({@code <#…>}), after which any text does; each declaring line accounts for one section
 * (one inside a {@code <#list>} counts once).
 *
 * <pre>{@code
 * DeclaredSections d = DeclaredSections.of(List.of("rhel9.ks.ftl"), templates::source)
 *     .as("no template of profile web");
 * }</pre>
 */
public final class DeclaredSections {
  /** The sections whose bodies run as scripts. */
  public static final Set<String> SCRIPTS =
      Set.of("%pre", "%pre-install", "%post", "%onerror", "%traceback");

  private static final Pattern INCLUDE =
      Pattern.compile("<#(?:include|import)\\s+(?:\"([^\"]+)\"|'([^']+)')");

  /** Where a template's text comes from, by template name; empty when there is none. */
  public interface Sources {
    Optional<String> read(String name) throws IOException;
  }

  /** One declaring template line, as a pattern for the header line it renders. */
  record Header(String template, String line, Pattern pattern) {}

  private final List<Header> headers;
  private final String noneStarts;

  private DeclaredSections(List<Header> headers, String noneStarts) {
    this.headers = List.copyOf(headers);
    this.noneStarts = noneStarts;
  }

  /**
   * The sections the named templates declare, with every template they include or import (names
   * relative to the including template's directory, as Freemarker resolves them). An include whose
   * name is an expression cannot be followed.
   */
  public static DeclaredSections of(Collection<String> templates, Sources sources)
      throws IOException {
    List<Header> headers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(templates);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name)) {
        continue;
      }
      Optional<String> text = sources.read(name);
      if (text.isEmpty()) {
        continue; // rendering it fails with "template not found"; nothing is declared here
      }
      for (String line : withoutComments(text.get()).split("\r?\n", -1)) {
        header(name, line).ifPresent(headers::add);
        Matcher include = INCLUDE.matcher(line);
        while (include.find()) {
          String target = include.group(1) != null ? include.group(1) : include.group(2);
          todo.add(resolve(name, target));
        }
      }
    }
    return new DeclaredSections(headers, "no template");
  }

  /** A copy whose error messages say {@code undeclared %pre: <noneStarts> starts it}. */
  public DeclaredSections as(String noneStarts) {
    return new DeclaredSections(headers, noneStarts);
  }

  /** What errors say of the templates, e.g. "no template of profile web". */
  String noneStarts() {
    return noneStarts;
  }

  List<Header> headers() {
    return headers;
  }

  /** The template lines that declare sections, as {@code template: line}, for messages and docs. */
  public List<String> lines() {
    return headers.stream().map(h -> h.template() + ": " + h.line()).toList();
  }

  /** The text with its {@code <#-- … -->} comments blanked out, line breaks kept. */
  private static String withoutComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("<#--", i);
      if (open < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, open);
      int close = text.indexOf("-->", open + 4);
      int end = close < 0 ? text.length() : close + 3;
      text.substring(open, end).chars().filter(c -> c == '\n').forEach(c -> out.append('\n'));
      i = end;
    }
    return out.toString();
  }

  /** The declaring line, if this template line starts a script section. */
  static Optional<Header> header(String template, String line) {
    String stripped = line.strip();
    int end = 0;
    while (end < stripped.length()
        && !Character.isWhitespace(stripped.charAt(end))
        && !stripped.startsWith("[=", end)
        && !stripped.startsWith("<#", end)
        && !stripped.startsWith("</#", end)
        && !stripped.startsWith("<@", end)
        && !stripped.startsWith("</@", end)) {
      end++;
    }
    if (!SCRIPTS.contains(stripped.substring(0, end))) {
      return Optional.empty();
    }
    return Optional.of(new Header(template, stripped, pattern(stripped)));
  }

  /**
   * The rendered lines a template line can produce: its text up to the first Freemarker part
   * ({@code [=…]}, {@code <#…>}, {@code <@…>}) as it is, then anything (what a directive leaves out
   * or puts in cannot be told from the line alone).
   */
  private static Pattern pattern(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.startsWith("[=", i)
          || line.startsWith("<#", i)
          || line.startsWith("</#", i)
          || line.startsWith("<@", i)
          || line.startsWith("</@", i)) {
        return Pattern.compile(Pattern.quote(line.substring(0, i)) + ".*");
      }
    }
    return Pattern.compile(Pattern.quote(line));
  }

  /** An include's name as Freemarker resolves it: relative to the includer's directory. */
  static String resolve(String includer, String target) {
    if (target.startsWith("/")) {
      return target.substring(1);
    }
    int slash = includer.lastIndexOf('/');
    String joined = slash < 0 ? target : includer.substring(0, slash + 1) + target;
    Deque<String> parts = new ArrayDeque<>();
    for (String part : joined.split("/")) {
      if (part.equals("..")) {
        parts.pollLast();
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }
}
