package io.kickdrift.agent.scan.secret;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key/value secrets of one line, in the syntaxes of config files: {@code KEY=VALUE} (shell, env,
 * INI, TOML, properties, systemd {@code Environment=}, libpq DSNs), {@code key: value} (YAML,
 * properties), {@code key value} directives (redis, nslcd, bind), JSON {@code "key": "value"}, XML
 * {@code <key>value</key>} and {@code key="value"}; URL user info and HTTP {@code Authorization}
 * values wherever they are. The span is the value only, inside its quotes.
 */
final class KeyValues {
  /** How the caller classifies keys: built-in names plus the user's rules. */
  interface KeyRules {
    /** The rule for a value of {@code key}, or null; {@code random} says whether it looks so. */
    String rule(String key, String value, boolean commented);
  }

  private static final Pattern JSON_PAIR =
      Pattern.compile("\"([^\"\\n]{1,100})\"\\s*:\\s*\"((?:[^\"\\\\\\n]++|\\\\.)*+)\"");
  private static final Pattern XML_ELEMENT =
      Pattern.compile("<(?:[A-Za-z_][\\w.-]*:)?([A-Za-z_][\\w.-]*)(?:\\s[^<>]*)?>([^<\\n]+)</");
  private static final Pattern PAIR =
      Pattern.compile(
          "(?<![\\w.-])([A-Za-z_][\\w.-]*)\\s*=\\s*(\"[^\"\\n]*\"|'[^'\\n]*'|`[^`\\n]*`|[^\\s\"'`<>;,&]+)");

  /**
   * The key at the start of a line and its separator, tried in this order: {@code key = v} (an INI
   * key may hold spaces: {@code ntlm auth = v}), {@code key: v}, {@code key v}.
   */
  private static final Pattern[] LEAD = {
    Pattern.compile(
        "(\"[^\"\\n]+\"|'[^'\\n]+'|[A-Za-z_@/$&][\\w.@/$:-]*(?:[ \\t]+[A-Za-z_][\\w.-]*)*)"
            + "([ \\t]*=[ \\t]*)"),
    Pattern.compile("(\"[^\"\\n]+\"|'[^'\\n]+'|[A-Za-z_@/$&][\\w.@/$-]*)([ \\t]*:(?:[ \\t]+|$))"),
    Pattern.compile("([A-Za-z_][\\w.-]*)([ \\t]+)")
  };

  private static final Pattern URL_USERINFO =
      Pattern.compile(
          "(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://([^\\s:/?#@\"'<>\\[\\]]*):([^\\s/?#@\"'<>]+)@");
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "(?i)(?<![\\w-])((?:proxy-)?authorization)(\\s*[:=]\\s*|\\s+)[\"']?"
              + "(?:(basic|bearer|token|negotiate|ntlm|apikey|sso-key|key)\\s+)?([^\\s\"';,]+)");
  private static final Pattern SCHEME_WORD =
      Pattern.compile("(?i)basic|bearer|token|digest|negotiate|ntlm|apikey");

  private KeyValues() {}

  /**
   * Adds the secrets of the line {@code text[start, end)} to {@code out}.
   *
   * @param section the INI/TOML section the line is in, or null, to name the key
   * @param inComment whether the line is inside a block comment ({@code <!-- … -->})
   */
  static void find(
      Matchers ms,
      int start,
      int end,
      String section,
      boolean inComment,
      KeyRules keys,
      List<Span> out) {
    String text = ms.text();
    int p = start;
    while (p < end && Character.isWhitespace(text.charAt(p))) {
      p++;
    }
    boolean commented = inComment;
    while (p < end && isCommentStart(text, p, end)) {
      commented = true;
      p +=
          text.startsWith("<!--", p)
              ? 4
              : text.startsWith("//", p) || text.startsWith("--", p) ? 2 : 1;
      while (p < end && Character.isWhitespace(text.charAt(p))) {
        p++;
      }
    }
    if (text.startsWith("export ", p)) {
      p += 7;
    } else if (text.startsWith("- ", p)) {
      p += 2;
    }
    if (p >= end) {
      return;
    }
    String prefix = section == null ? "" : "[" + section + "] ";
    lead(ms, p, end, prefix, commented, keys, out);
    pairs(JSON_PAIR, ms, p, end, prefix, commented, keys, out);
    pairs(XML_ELEMENT, ms, p, end, prefix, commented, keys, out);
    pairs(PAIR, ms, p, end, prefix, commented, keys, out);
    urls(ms, p, end, out);
    authorization(ms, p, end, commented, out);
  }

  private static boolean isCommentStart(String text, int p, int end) {
    char c = text.charAt(p);
    return c == '#'
        || c == ';'
        || c == '!' && p + 1 < end && text.charAt(p + 1) == ' '
        || text.startsWith("//", p) && (p + 2 >= end || Character.isWhitespace(text.charAt(p + 2)))
        || text.startsWith("-- ", p)
        || text.startsWith("<!--", p);
  }

  private static void lead(
      Matchers ms,
      int p,
      int end,
      String prefix,
      boolean commented,
      KeyRules keys,
      List<Span> out) {
    String text = ms.text();
    Matcher m = null;
    for (Pattern lead : LEAD) {
      Matcher t = ms.on(lead, p, end);
      if (t.lookingAt()) {
        m = t;
        break;
      }
    }
    if (m == null) {
      return;
    }
    String key = unquoteKey(m.group(1));
    String sep = m.group(2).strip();
    int vs = m.end();
    int ve = KeyBlocks.trimCr(text, vs, end);
    if (vs >= ve) {
      return;
    }
    char q = text.charAt(vs);
    if (q == '"' || q == '\'' || q == '`') {
      int close = text.indexOf(q, vs + 1);
      if (close < 0 || close >= ve) {
        return;
      }
      ve = close + 1;
    } else {
      if (sep.isEmpty()) {
        // A directive's value is one word, and not a plain lower-case word: in `password reset
        // link` (prose) or `secret word = x` (an INI key with a space) it is not a value.
        int te = tokenEnd(text, vs, ve);
        String word = text.substring(vs, te).replaceAll("[;,]+$", "");
        String rest = text.substring(te, stripComment(text, te, ve)).strip();
        if (has(text, "=", vs, end)
            || word.matches("[a-z]+")
            || word.indexOf('(') >= 0
            || rest.startsWith("{")
            || rest.split("\\s+").length > 2) {
          return;
        }
        ve = te;
      } else {
        ve = stripComment(text, vs, ve);
      }
      while (ve > vs && (text.charAt(ve - 1) == ';' || text.charAt(ve - 1) == ',')) {
        ve--;
      }
      if (ve > vs && text.charAt(ve - 1) == '{') {
        return; // a block opens: `key "name" {`
      }
      if (hasSpace(text, vs, ve)) {
        return; // prose or a list; a secret with spaces is quoted
      }
    }
    add(text, key, prefix, vs, ve, commented, keys, out);
  }

  private static void pairs(
      Pattern pattern,
      Matchers ms,
      int p,
      int end,
      String prefix,
      boolean commented,
      KeyRules keys,
      List<Span> out) {
    String text = ms.text();
    Matcher m = ms.on(pattern, p, end);
    int pos = p;
    while (pos < end && ms.on(pattern, pos, end).find()) {
      int before = out.size();
      add(text, m.group(1), prefix, m.start(2), m.end(2), commented, keys, out);
      // A value that is no secret may hold pairs that are: Environment="DB_PASSWORD=x",
      // dsn = "host=h password=x".
      char q = text.charAt(m.start(2));
      int inner = q == '"' || q == '\'' || q == '`' ? m.start(2) + 1 : m.start(2);
      pos = out.size() > before ? m.end() : inner;
    }
  }

  private static void add(
      String text,
      String key,
      String prefix,
      int vs,
      int ve,
      boolean commented,
      KeyRules keys,
      List<Span> out) {
    int[] in = Values.unquote(text, vs, ve);
    vs = in[0];
    ve = in[1];
    if (ve <= vs) {
      return;
    }
    String value = text.substring(vs, ve);
    String rule = keys.rule(key, value, commented);
    if (rule != null) {
      out.add(new Span(rule, prefix + key, vs, ve));
    }
  }

  private static void urls(Matchers ms, int p, int end, List<Span> out) {
    String text = ms.text();
    if (!has(text, "://", p, end)) {
      return;
    }
    Matcher m = ms.on(URL_USERINFO, p, end);
    while (m.find()) {
      if (!Values.isNotSecret(m.group(2))) {
        out.add(new Span("url-userinfo", null, m.start(2), m.end(2)));
      }
    }
  }

  private static void authorization(
      Matchers ms, int p, int end, boolean commented, List<Span> out) {
    String text = ms.text();
    Matcher m = ms.on(AUTHORIZATION, p, end);
    while (m.find()) {
      String v = m.group(4);
      boolean scheme = m.group(3) != null;
      if (!scheme && (m.group(2).isBlank() || SCHEME_WORD.matcher(v).matches())) {
        continue; // prose: "the authorization failures of"
      }
      if (!Values.isNotSecret(v) && v.length() >= 8 && (!commented || Values.looksRandom(v))) {
        out.add(new Span("http-authorization", m.group(1), m.start(4), m.end(4)));
      }
    }
  }

  /** Whether {@code literal} is in {@code text[start, end)}, without looking past {@code end}. */
  static boolean has(String text, String literal, int start, int end) {
    char first = literal.charAt(0);
    for (int i = start; i + literal.length() <= end; i++) {
      if (text.charAt(i) == first && text.startsWith(literal, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasSpace(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      if (text.charAt(i) == ' ' || text.charAt(i) == '\t') {
        return true;
      }
    }
    return false;
  }

  private static String unquoteKey(String k) {
    if (k.length() >= 2 && (k.charAt(0) == '"' || k.charAt(0) == '\'')) {
      return k.substring(1, k.length() - 1);
    }
    return k;
  }

  private static int tokenEnd(String text, int from, int end) {
    int i = from;
    while (i < end && !Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Cuts a trailing {@code # comment} or {@code ; comment} off an unquoted value. */
  private static int stripComment(String text, int vs, int ve) {
    for (int i = vs + 1; i < ve; i++) {
      char c = text.charAt(i);
      if ((c == '#' || c == ';') && Character.isWhitespace(text.charAt(i - 1))) {
        return KeyBlocks.trimCr(text, vs, i);
      }
    }
    return ve;
  }
}
