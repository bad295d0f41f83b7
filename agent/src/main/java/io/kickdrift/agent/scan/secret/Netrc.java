package io.kickdrift.agent.scan.secret;

import java.util.List;

/**
 * The two credential files whose syntax has no key per value: {@code .netrc} ({@code machine H
 * login U password P}, on one line or many) and {@code .pgpass} ({@code
 * host:port:db:user:password}, the fifth field to the end of the line, {@code \:} escaped).
 */
final class Netrc {
  private Netrc() {}

  static void find(String text, List<Span> out) {
    int i = 0;
    int n = text.length();
    boolean wantValue = false;
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int s = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (s == i) {
        break;
      }
      String token = text.substring(s, i);
      if (wantValue) {
        wantValue = false;
        if (!Values.isNotSecret(token)) {
          out.add(new Span("netrc-password", "password", s, i));
        }
      } else if (token.equals("password") || token.equals("passwd")) {
        wantValue = true;
      } else if (token.startsWith("#")) {
        i = KeyBlocks.lineEnd(text, i);
      }
    }
  }

  static void pgpass(String text, InlineSecrets.Lines lines, List<Span> out) {
    for (int l = 0; l < lines.count(); l++) {
      int s = lines.start(l);
      int e = KeyBlocks.trimCr(text, s, lines.end(l));
      if (s >= e || text.charAt(s) == '#') {
        continue;
      }
      int fields = 0;
      int p = s;
      while (p < e && fields < 4) {
        char c = text.charAt(p);
        if (c == '\\') {
          p++;
        } else if (c == ':') {
          fields++;
        }
        p++;
      }
      if (fields == 4 && p < e && !Values.isNotSecret(text.substring(p, e))) {
        out.add(new Span("pgpass-password", "password", p, e));
      }
    }
  }
}
