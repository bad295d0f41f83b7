package io.kickdrift.server.desired;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file's text as a template of its host's values (docs/desired-state.md): each occurrence of a
 * value written {@code [=host.NAME]} (a MAC also in upper case, {@code [=host.mac?upper_case]}),
 * and the text's own Freemarker syntax escaped, so that the template rendered with the same host's
 * values is the text again, byte for byte. A value counts only as a whole: not inside a longer
 * word, name or address ({@code web01} is not in {@code web010} nor in {@code mail.web01.x}, and
 * {@code 192.0.2.1} is not in {@code 192.0.2.10}).
 */
public final class Templating {
  /** A template and the variables it uses, sorted. */
  public record Template(String text, List<String> variables) {
    public Template {
      variables = List.copyOf(variables);
    }

    /** Whether it uses any host value. */
    public boolean templated() {
      return !variables.isEmpty();
    }
  }

  /**
   * What would start Freemarker syntax in a template's text (interpolations are {@code [=…]}:
   * {@code ${…}} stays literal); each is written as a string expression.
   */
  private static final Pattern SYNTAX = Pattern.compile("\\[=|</?[#@]|\\[/?[#@]");

  // never inside a longer name: not after a letter, digit, _ - or .; not before one of those
  // (a dot may follow when no name goes on after it: the end of a sentence)
  private static final String BEFORE = "(?<![A-Za-z0-9_.-])";
  private static final String AFTER = "(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_-])";

  private Templating() {}

  /**
   * {@code bytes} as a template of {@code values} (variable name to value; when two names share a
   * value, the first one is used); empty when the bytes are not text (a NUL, or not UTF-8).
   */
  public static Optional<Template> of(byte[] bytes, Map<String, String> values) {
    return compile(values).of(bytes);
  }

  /** {@code text} as a template of {@code values}; see {@link #of(byte[], Map)}. */
  public static Template of(String text, Map<String, String> values) {
    return compile(values).of(text);
  }

  /** One host's values made ready to template many texts (the pattern is built once). */
  public static Compiled compile(Map<String, String> values) {
    Map<String, String> expression = new LinkedHashMap<>(); // value as written -> expression
    values.forEach(
        (name, value) -> {
          expression.putIfAbsent(value, "[=host." + name + "]");
          if (name.endsWith("mac") && !value.toUpperCase(Locale.ROOT).equals(value)) {
            expression.putIfAbsent(
                value.toUpperCase(Locale.ROOT), "[=host." + name + "?upper_case]");
          }
        });
    List<String> sorted = new ArrayList<>(expression.keySet());
    sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
    StringBuilder alternation = new StringBuilder();
    for (String v : sorted) {
      alternation.append(alternation.length() == 0 ? "" : "|").append(Pattern.quote(v));
    }
    return new Compiled(
        expression,
        sorted.isEmpty() ? null : Pattern.compile(BEFORE + "(?:" + alternation + ")" + AFTER));
  }

  /** A host's values with the pattern that finds them. */
  public static final class Compiled {
    private final Map<String, String> expression;
    private final Pattern values;

    private Compiled(Map<String, String> expression, Pattern values) {
      this.expression = expression;
      this.values = values;
    }

    /** {@code bytes} as a template; empty when they are not text. */
    public Optional<Template> of(byte[] bytes) {
      return text(bytes).map(this::of);
    }

    /** Whether {@code text} holds one of the values at all (a quick test before {@link #of}). */
    public boolean mentions(String text) {
      for (String v : expression.keySet()) {
        if (text.contains(v)) {
          return true;
        }
      }
      return false;
    }

    /** {@code text} as a template. */
    public Template of(String text) {
      StringBuilder out = new StringBuilder(text.length() + 64);
      TreeSet<String> used = new TreeSet<>();
      int at = 0;
      if (values != null) {
        Matcher m = values.matcher(text);
        while (m.find()) {
          literal(text.substring(at, m.start()), out);
          String e = expression.get(m.group());
          out.append(e);
          used.add(e.substring("[=host.".length(), e.length() - 1).replace("?upper_case", ""));
          at = m.end();
        }
      }
      literal(text.substring(at), out);
      return new Template(out.toString(), new ArrayList<>(used));
    }
  }

  /** The bytes as text when they are text: UTF-8 without a NUL. */
  public static Optional<String> text(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Literal text: what would start Freemarker syntax is written as a string expression. */
  private static void literal(String text, StringBuilder out) {
    Matcher m = SYNTAX.matcher(text);
    int at = 0;
    while (m.find()) {
      out.append(text, at, m.start());
      String s = m.group();
      out.append("[=\"").append(s.charAt(0)).append("\"]").append(s, 1, s.length());
      at = m.end();
    }
    out.append(text, at, text.length());
  }
}
