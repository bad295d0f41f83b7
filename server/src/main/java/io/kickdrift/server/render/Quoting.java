package io.kickdrift.server.render;

import freemarker.template.SimpleScalar;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateScalarModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * How an inventory value is written into each kind of file so that it stays one value there: it
 * can never add a line, a command, a menu entry or a section. Templates call these as {@code
 * [=grub.word(x)]}, {@code [=ks.word(x)]}, … (docs/rendering.md lists them with their rules). A
 * value that needs nothing comes back unchanged, so ordinary inventories render byte for byte as
 * before; what a target can quote is quoted; what it cannot carry at all (a line break anywhere, a
 * {@code ${} in iPXE, white space in a pxelinux file name) becomes {@code ?}.
 */
final class Quoting {
  private Quoting() {}

  /** The replacement for a character a target cannot carry. */
  static final char CANNOT = '?';

  private static final Set<String> GRUB_RESERVED =
      Set.of(
          "case",
          "do",
          "done",
          "elif",
          "else",
          "esac",
          "fi",
          "for",
          "if",
          "in",
          "select",
          "then",
          "until",
          "while",
          "function");

  /**
   * The functions templates call, by namespace: {@code grub}, {@code ipxe}, {@code pxelinux},
   * {@code cmdline}, {@code ks}, {@code sh}, {@code dhcpd}, {@code kea}, {@code dnsmasq}, {@code
   * zonefile}.
   */
  static Map<String, TemplateHashModel> templateFunctions() {
    Map<String, TemplateHashModel> all = new LinkedHashMap<>();
    all.put(
        "grub",
        namespace(
            "grub",
            Map.of(
                "word", Quoting::grubWord,
                "args", Quoting::grubArgs,
                "inSingleQuotes", Quoting::grubInSingleQuotes,
                "comment", Quoting::oneLine)));
    all.put(
        "ipxe", namespace("ipxe", Map.of("word", Quoting::ipxeWord, "text", Quoting::ipxeText)));
    all.put(
        "pxelinux",
        namespace("pxelinux", Map.of("word", Quoting::pxelinuxWord, "text", Quoting::oneLine)));
    all.put("cmdline", namespace("cmdline", Map.of("word", Quoting::cmdlineWord)));
    all.put(
        "ks",
        namespace(
            "ks",
            Map.of(
                "word", Quoting::ksWord,
                "inDoubleQuotes", Quoting::ksInDoubleQuotes,
                "line", Quoting::ksLine,
                "comment", Quoting::oneLine)));
    all.put("sh", namespace("sh", Map.of("inDoubleQuotes", Quoting::shInDoubleQuotes)));
    all.put(
        "dhcpd",
        namespace(
            "dhcpd",
            Map.of(
                "word", Quoting::dhcpdWord,
                "name", Quoting::hostName,
                "inDoubleQuotes", Quoting::dhcpdInDoubleQuotes,
                "comment", Quoting::oneLine)));
    all.put("kea", namespace("kea", Map.of("string", Quoting::keaString)));
    all.put(
        "dnsmasq",
        namespace(
            "dnsmasq",
            Map.of(
                "field", Quoting::dnsmasqField,
                "name", Quoting::hostName,
                "comment", Quoting::oneLine)));
    all.put(
        "zonefile",
        namespace("zonefile", Map.of("word", Quoting::zoneWord, "comment", Quoting::oneLine)));
    return Map.copyOf(all);
  }

  // ---- every target: one line

  /** Line breaks (those of Python's splitlines too) and other control characters. */
  static boolean breaksLine(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  /** The value with every line break and control character replaced: text for a comment. */
  static String oneLine(String s) {
    return replace(s, Quoting::breaksLine);
  }

  // ---- GRUB (grub.cfg is a shell-like script)

  /**
   * One argument or command name: as it is when it holds only characters GRUB reads literally, else
   * in single quotes (in which GRUB reads everything literally but the quote itself).
   */
  static String grubWord(String s) {
    String v = oneLine(s);
    if (!v.isEmpty() && all(v, Quoting::grubPlain) && !GRUB_RESERVED.contains(v)) {
      return v;
    }
    return "'" + grubInSingleQuotes(v) + "'";
  }

  private static boolean grubPlain(char c) {
    return asciiAlnum(c) || "_./:,=@+%^~-()".indexOf(c) >= 0;
  }

  /**
   * A kernel command line for {@code linux}/{@code linuxefi}: split into words as the kernel does
   * (white space outside double quotes; the quotes only group), each word then one GRUB argument.
   * GRUB joins its arguments again and puts double quotes around one that holds a space, so the
   * kernel gets the words it would have got from the line itself.
   */
  static String grubArgs(String cmdline) {
    if (plainWords(cmdline)) {
      return cmdline; // the common case: nothing to split or quote
    }
    List<String> words = kernelWords(oneLine(cmdline));
    StringBuilder out = new StringBuilder(cmdline.length() + 16);
    for (String w : words) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(grubWord(w));
    }
    return out.toString();
  }

  /** Words GRUB reads as they are, one space apart, none of them a reserved word. */
  private static boolean plainWords(String s) {
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == ' ') {
        if (i == start || (i - start <= 8 && GRUB_RESERVED.contains(s.substring(start, i)))) {
          return false; // an empty word (leading, trailing or double space) or a reserved one
        }
        start = i + 1;
      } else if (!grubPlain(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Text inside {@code '…'}: a quote ends the string, so it becomes {@code '\''}. */
  static String grubInSingleQuotes(String s) {
    return oneLine(s).replace("'", "'\\''");
  }

  /** The words of a kernel command line, double quotes removed; empty words dropped. */
  static List<String> kernelWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        if (word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (word.length() > 0) {
      words.add(word.toString());
    }
    return words;
  }

  // ---- iPXE (a script iPXE splits into white-space separated tokens)

  /**
   * Text of one or more arguments, or of a comment. iPXE has no quoting, so what it would read as
   * syntax is replaced: a token {@code ||}, {@code &&} or {@code ;} (they end the command), a
   * {@code #} starting a token (a comment), every {@code ${} (iPXE expands settings, again and
   * again, and has no escape for it), and a final backslash (it joins the next line).
   */
  static String ipxeText(String s) {
    if (all(s, c -> !breaksLine(c) && "#$\\;|&".indexOf(c) < 0)) {
      return s; // the common case: nothing iPXE would read as syntax
    }
    String v = oneLine(s);
    StringBuilder out = new StringBuilder(v.length());
    int i = 0;
    while (i < v.length()) {
      if (v.charAt(i) == ' ') {
        out.append(' ');
        i++;
        continue;
      }
      int end = v.indexOf(' ', i);
      end = end < 0 ? v.length() : end;
      String token = v.substring(i, end);
      if (token.equals("||") || token.equals("&&") || token.equals(";")) {
        out.append(String.valueOf(CANNOT).repeat(token.length()));
      } else {
        int start = out.length();
        out.append(token);
        if (token.charAt(0) == '#') {
          out.setCharAt(start, CANNOT);
        }
      }
      i = end;
    }
    for (int j = 0; j + 1 < out.length(); j++) {
      if (out.charAt(j) == '$' && out.charAt(j + 1) == '{') {
        out.setCharAt(j, CANNOT);
      }
    }
    if (out.length() > 0 && out.charAt(out.length() - 1) == '\\') {
      out.setCharAt(out.length() - 1, CANNOT);
    }
    return out.toString();
  }

  /** One argument (a URL): {@link #ipxeText} with no space either. */
  static String ipxeWord(String s) {
    return ipxeText(s).replace(' ', CANNOT);
  }

  // ---- pxelinux (line-based, no quoting)

  /** One word (a file name or URL): no line break and no white space. */
  static String pxelinuxWord(String s) {
    return replace(s, c -> breaksLine(c) || c == ' ');
  }

  // ---- the kernel command line (args.ftl builds it; each menu writes it in its syntax)

  /** One kernel parameter value: no white space, which ends it, and no {@code "}, which groups. */
  static String cmdlineWord(String s) {
    return replace(s, c -> breaksLine(c) || c == ' ' || c == '"');
  }

  // ---- kickstart (pykickstart splits command lines with shlex, comments included)

  /**
   * One word of a command line: as it is without white space, quotes, backslashes or {@code #}
   * (shlex starts a comment at a {@code #} even inside a word), else in single quotes.
   */
  static String ksWord(String s) {
    String v = oneLine(s);
    if (!v.isEmpty() && all(v, c -> " '\"\\#".indexOf(c) < 0)) {
      return v;
    }
    return "'" + v.replace("'", "'\\''") + "'";
  }

  /** Text inside {@code "…"} of a kickstart command: shlex escapes only {@code "} and {@code \}. */
  static String ksInDoubleQuotes(String s) {
    return oneLine(s).replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * A whole command line (the profile's partitioning, a package line): one line, and not a section
   * header, {@code %end} or {@code %include}. pykickstart takes a line whose first shlex word
   * starts with {@code %} as one, so a first {@code %}, quote or backslash becomes {@code ?}.
   */
  static String ksLine(String s) {
    String v = oneLine(s);
    int at = 0;
    // Python's lstrip, which pykickstart uses inside sections, strips Unicode spaces too.
    while (at < v.length()
        && (Character.isWhitespace(v.charAt(at)) || Character.isSpaceChar(v.charAt(at)))) {
      at++;
    }
    if (at < v.length() && "%'\"\\".indexOf(v.charAt(at)) >= 0) {
      return v.substring(0, at) + CANNOT + v.substring(at + 1);
    }
    return v;
  }

  // ---- POSIX shell (the %post scripts)

  /** Text inside {@code "…"} of a shell command: {@code \ " $ `} escaped. */
  static String shInDoubleQuotes(String s) {
    String v = oneLine(s);
    StringBuilder out = new StringBuilder(v.length() + 8);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if ("\\\"$`".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  // ---- ISC dhcpd

  /**
   * A name or address outside quotes: as it is when it is letters, digits, {@code . _ : -}, else as
   * a quoted string (where dhcpd wants a name, it takes one; elsewhere it refuses the file).
   */
  static String dhcpdWord(String s) {
    String v = oneLine(s);
    if (!v.isEmpty() && all(v, c -> asciiAlnum(c) || "._:-".indexOf(c) >= 0)) {
      return v;
    }
    return "\"" + dhcpdInDoubleQuotes(v) + "\"";
  }

  /**
   * A host name where neither dhcpd (a host declaration) nor dnsmasq (dhcp-host) can quote one: as
   * it is when its labels are letters, digits, {@code -} and {@code _}, each starting with a letter
   * or digit; else one label, every other character {@code -}, and an {@code x} before it when it
   * would not start with a letter or digit. Both servers accept the result as a name.
   */
  static String hostName(String s) {
    if (HOST_NAME.matcher(s).matches()) {
      return s;
    }
    String v = replace(s, c -> !asciiAlnum(c) && c != '_' && c != '-', '-');
    return !v.isEmpty() && asciiAlnum(v.charAt(0)) ? v : "x" + v;
  }

  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9][A-Za-z0-9_-]*)*");

  /** Text inside {@code "…"}: {@code "} and {@code \} escaped. */
  static String dhcpdInDoubleQuotes(String s) {
    return oneLine(s).replace("\\", "\\\\").replace("\"", "\\\"");
  }

  // ---- Kea (JSON, and // comments)

  /**
   * Text inside a JSON string {@code "…"}: {@code "} and {@code \} escaped, line breaks and control
   * characters {@code ?} (Kea's parser refuses a backslash-u escape of a line separator, and a DHCP
   * option has no use for a line break).
   */
  static String keaString(String s) {
    return oneLine(s).replace("\\", "\\\\").replace("\"", "\\\"");
  }

  // ---- dnsmasq (one option per line, fields separated by commas)

  /**
   * One comma-separated field: no comma, white space, {@code #} (a comment), quote or backslash
   * (dnsmasq unquotes and unescapes).
   */
  static String dnsmasqField(String s) {
    return replace(s, c -> breaksLine(c) || " ,#\"\\".indexOf(c) >= 0);
  }

  // ---- DNS zone files (RFC 1035 master files, as named reads them)

  /**
   * One word: a name, an address or other record data. Names as dnsjava writes them (presentation
   * format, where {@code \X} and {@code \DDD} escape what a zone file reads as syntax) pass
   * unchanged. Anything else a word cannot hold as it is (white space, a line break or other
   * control character, {@code ; ( ) "}, a first {@code $}, which would start a directive) becomes
   * {@code \DDD}, one per byte of its UTF-8 form; a backslash before white space, a control
   * character or the end (it would join the next word or line) becomes {@code \092}. An empty value
   * is {@code ""}, which keeps the word's place (an empty owner would repeat the previous one) and
   * which named refuses where it wants a name: fail safe.
   */
  static String zoneWord(String s) {
    if (s.isEmpty()) {
      return "\"\"";
    }
    if (s.charAt(0) != '$' && all(s, c -> c != '\\' && !zoneSpecial(c))) {
      return s; // the common case: a name or address with nothing to escape
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < s.length() && !breaksLine(s.charAt(i + 1)) && s.charAt(i + 1) != ' ') {
          out.append(c).append(s.charAt(++i)); // an escape as dnsjava writes one: \. \" \\ \010
        } else {
          out.append("\\092");
        }
      } else if (zoneSpecial(c) || (i == 0 && c == '$')) {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          out.append('\\').append(String.format("%03d", b & 0xff));
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** What ends or splits a word of a zone file, or starts a comment or a quoted string. */
  private static boolean zoneSpecial(char c) {
    return breaksLine(c) || c == ' ' || ";()\"".indexOf(c) >= 0;
  }

  // ---- helpers

  private interface CharTest {
    boolean test(char c);
  }

  private static boolean asciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean all(String s, CharTest test) {
    for (int i = 0; i < s.length(); i++) {
      if (!test.test(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} with each character that {@code bad} accepts replaced by {@link #CANNOT}. */
  private static String replace(String s, CharTest bad) {
    return replace(s, bad, CANNOT);
  }

  private static String replace(String s, CharTest bad, char replacement) {
    int first = 0;
    while (first < s.length() && !bad.test(s.charAt(first))) {
      first++;
    }
    if (first == s.length()) {
      return s;
    }
    char[] chars = s.toCharArray();
    for (int i = first; i < chars.length; i++) {
      if (bad.test(chars[i])) {
        chars[i] = replacement;
      }
    }
    return new String(chars);
  }

  /** A hash of one-argument string functions, as templates call them: {@code grub.word(x)}. */
  private static TemplateHashModel namespace(String name, Map<String, UnaryOperator<String>> fns) {
    Map<String, TemplateMethodModelEx> methods = new LinkedHashMap<>();
    fns.forEach(
        (fn, f) ->
            methods.put(fn, args -> new SimpleScalar(f.apply(argument(name + "." + fn, args)))));
    Map<String, TemplateMethodModelEx> frozen = Map.copyOf(methods);
    return new TemplateHashModel() {
      @Override
      public TemplateModel get(String key) {
        return frozen.get(key);
      }

      @Override
      public boolean isEmpty() {
        return false;
      }
    };
  }

  private static String argument(String function, List<?> args) throws TemplateModelException {
    if (args.size() != 1) {
      throw new TemplateModelException(
          function + " takes one value, got " + args.size() + "; e.g. " + function + "(host.name)");
    }
    Object arg = args.get(0);
    if (arg instanceof TemplateScalarModel s) {
      return s.getAsString();
    }
    if (arg instanceof TemplateNumberModel n) {
      return n.getAsNumber().toString();
    }
    throw new TemplateModelException(
        function
            + (arg == null
                ? " got no value (null or missing); give a default, e.g. x!\"\""
                : " takes a string, got a list, hash or other non-string"));
  }
}
