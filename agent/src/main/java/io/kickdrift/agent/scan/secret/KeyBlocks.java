package io.kickdrift.agent.scan.secret;

import java.util.List;

/**
 * Private keys in their armor, anywhere in a file (also in binary files and after the first 16
 * KiB): PEM {@code -----BEGIN ... PRIVATE KEY-----} to its END line (OpenSSH and PGP blocks
 * included), and a PuTTY key's private lines and MAC. A block without its END line runs to the end
 * of its base64: a truncated key is still a key.
 */
final class KeyBlocks {
  private static final String BEGIN = "-----BEGIN ";
  private static final String DASHES = "-----";

  private KeyBlocks() {}

  static void find(String text, List<Span> out) {
    int from = 0;
    while (true) {
      int b = text.indexOf(BEGIN, from);
      if (b < 0) {
        break;
      }
      int typeEnd = text.indexOf(DASHES, b + BEGIN.length());
      int eol = lineEnd(text, b);
      if (typeEnd < 0 || typeEnd > eol || typeEnd - b > 80) {
        from = b + BEGIN.length();
        continue;
      }
      String type = text.substring(b + BEGIN.length(), typeEnd);
      if (!type.endsWith("PRIVATE KEY") && !type.equals("PGP PRIVATE KEY BLOCK")) {
        from = typeEnd;
        continue;
      }
      String endLine = "-----END " + type + DASHES;
      int e = text.indexOf(endLine, typeEnd);
      int stop = e >= 0 ? e + endLine.length() : base64End(text, typeEnd + DASHES.length());
      out.add(new Span(rule(type), null, b, stop));
      from = stop;
    }
    putty(text, out);
  }

  private static String rule(String type) {
    if (type.equals("OPENSSH PRIVATE KEY")) {
      return "openssh-private-key";
    }
    return type.startsWith("PGP ") ? "pgp-private-key" : "pem-private-key";
  }

  /**
   * End of the armor after an unterminated BEGIN: its header lines ({@code Proc-Type: …}), one
   * blank line before the body, then base64 lines up to the first line that is not.
   */
  private static int base64End(String text, int from) {
    int end = from;
    boolean body = false;
    int pos = lineEnd(text, from) + 1;
    while (pos < text.length()) {
      int le = trimCr(text, pos, lineEnd(text, pos));
      if (le == pos) {
        if (body) {
          break;
        }
      } else if (!body && text.substring(pos, le).contains(": ")) {
        end = le; // a header
      } else if (base64(text, pos, le)) {
        body = true;
        end = le;
      } else {
        break;
      }
      pos = lineEnd(text, pos) + 1;
    }
    return end;
  }

  private static boolean base64(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '=';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * PuTTY {@code .ppk} (versions 1 to 3): the {@code Private-Lines: N} lines that follow, and the
   * {@code Private-MAC} (or older {@code Private-Hash}) value. Public lines are left alone.
   */
  private static void putty(String text, List<Span> out) {
    if (!text.startsWith("PuTTY-User-Key-File-") && !text.contains("\nPuTTY-User-Key-File-")) {
      return;
    }
    int pos = 0;
    while (pos < text.length()) {
      int le = lineEnd(text, pos);
      if (text.startsWith("Private-Lines:", pos)) {
        int n = parseCount(text.substring(pos + "Private-Lines:".length(), le).strip());
        int first = le + 1;
        int last = le;
        int p = first;
        for (int i = 0; i < n && p < text.length(); i++) {
          int e = lineEnd(text, p);
          if (text.startsWith("Private-", p)) {
            break; // fewer lines than announced
          }
          last = e;
          p = e + 1;
        }
        int end = trimCr(text, first, last);
        if (end > first && !Values.isNotSecret(text.substring(first, end))) {
          out.add(new Span("putty-private-key", "Private-Lines", first, end));
        }
        pos = Math.max(p, le + 1);
        continue;
      }
      for (String mac : new String[] {"Private-MAC:", "Private-Hash:"}) {
        if (text.startsWith(mac, pos)) {
          int s = pos + mac.length();
          while (s < le && text.charAt(s) == ' ') {
            s++;
          }
          int e = trimCr(text, s, le);
          if (e > s && !Values.isNotSecret(text.substring(s, e))) {
            out.add(new Span("putty-private-key", mac.substring(0, mac.length() - 1), s, e));
          }
        }
      }
      pos = le + 1;
    }
  }

  private static int parseCount(String s) {
    try {
      return Math.min(Integer.parseInt(s), 100_000);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static int lineEnd(String text, int from) {
    int e = text.indexOf('\n', from);
    return e < 0 ? text.length() : e;
  }

  static int trimCr(String text, int start, int end) {
    while (end > start && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == ' ')) {
      end--;
    }
    return end;
  }
}
