package io.kickdrift.server.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key as BIND writes it ({@code tsig-keygen}, {@code rndc-confgen}, {@code named.conf}):
 *
 * <pre>
 * key "kickdrift" {
 *     algorithm hmac-sha256;
 *     secret "base64...";
 * };
 * </pre>
 *
 * Comments ({@code //}, {@code #}, {@code /* *}{@code /}) are skipped. MD5 is refused.
 */
record TsigKey(String name, String algorithm, byte[] secret) {
  private static final Map<String, String> MAC =
      Map.of(
          "hmac-sha1", "HmacSHA1",
          "hmac-sha224", "HmacSHA224",
          "hmac-sha256", "HmacSHA256",
          "hmac-sha384", "HmacSHA384",
          "hmac-sha512", "HmacSHA512");

  /**
   * Reads the one key of {@code file}; the error names the file, the line and what was expected.
   */
  public static TsigKey read(Path file) throws DnsException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DnsException(file + ": cannot read the TSIG key file: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** Parses {@code text}, naming it {@code source} in errors. */
  public static TsigKey parse(String source, String text) throws DnsException {
    List<Token> tokens = tokens(source, text);
    int[] at = {0};
    List<TsigKey> keys = new ArrayList<>();
    while (at[0] < tokens.size()) {
      Token t = tokens.get(at[0]++);
      if (!t.text().equals("key")) {
        throw error(source, t, "'key'");
      }
      Token name = next(source, tokens, at, "the key's name");
      expect(source, tokens, at, "{");
      String algorithm = null;
      String secret = null;
      Token secretAt = null;
      Token algorithmAt = null;
      for (Token field = next(source, tokens, at, "algorithm, secret or }");
          !field.text().equals("}");
          field = next(source, tokens, at, "algorithm, secret or }")) {
        Token value = next(source, tokens, at, "a value for " + field.text());
        expect(source, tokens, at, ";");
        switch (field.text()) {
          case "algorithm" -> {
            algorithm = value.text().toLowerCase(Locale.ROOT);
            algorithmAt = value;
          }
          case "secret" -> {
            secret = value.text();
            secretAt = value;
          }
          default -> throw error(source, field, "algorithm, secret or }");
        }
      }
      expect(source, tokens, at, ";");
      if (algorithm == null || secret == null) {
        throw error(source, name, "key " + name.text() + " to have both algorithm and secret");
      }
      if (!MAC.containsKey(algorithm)) {
        throw new DnsException(
            source
                + ":"
                + algorithmAt.line()
                + ": algorithm "
                + algorithm
                + " is not accepted; expected hmac-sha256 or hmac-sha512 (or hmac-sha1/224/384)");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(secret.replaceAll("\\s", ""));
      } catch (IllegalArgumentException e) {
        throw new DnsException(
            source + ":" + secretAt.line() + ": the secret is not base64: " + e.getMessage());
      }
      if (bytes.length == 0) {
        throw new DnsException(source + ":" + secretAt.line() + ": the secret is empty");
      }
      keys.add(new TsigKey(name.text(), algorithm, bytes));
    }
    if (keys.size() != 1) {
      throw new DnsException(
          source + ": " + keys.size() + " keys; expected exactly one key \"name\" { ... };");
    }
    return keys.get(0);
  }

  /** The dnsjava signer; {@code clock} is what it stamps messages with. */
  public TSIG signer(Clock clock) {
    try {
      return new TSIG(
          TSIG.algorithmToName(algorithm),
          Name.fromString(name, Name.root),
          new SecretKeySpec(secret, MAC.get(algorithm)),
          clock);
    } catch (TextParseException e) {
      throw new IllegalStateException("key name " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TsigKey[" + name + ", " + algorithm + "]"; // never the secret
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TsigKey k
        && k.name.equals(name)
        && k.algorithm.equals(algorithm)
        && java.util.Arrays.equals(k.secret, secret);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + algorithm.hashCode();
  }

  private record Token(String text, int line) {}

  private static Token next(String source, List<Token> tokens, int[] at, String expected)
      throws DnsException {
    if (at[0] >= tokens.size()) {
      int line = tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).line();
      throw new DnsException(source + ":" + line + ": the file ends; expected " + expected);
    }
    return tokens.get(at[0]++);
  }

  private static void expect(String source, List<Token> tokens, int[] at, String what)
      throws DnsException {
    Token t = next(source, tokens, at, "'" + what + "'");
    if (!t.text().equals(what)) {
      throw error(source, t, "'" + what + "'");
    }
  }

  private static DnsException error(String source, Token t, String expected) {
    return new DnsException(
        source + ":" + t.line() + ": found '" + t.text() + "'; expected " + expected);
  }

  private static List<Token> tokens(String source, String text) throws DnsException {
    List<Token> tokens = new ArrayList<>();
    int line = 1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#' || text.startsWith("//", i)) {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        if (end < 0) {
          throw new DnsException(source + ":" + line + ": unterminated /* comment");
        }
        line += (int) text.substring(i, end).chars().filter(ch -> ch == '\n').count();
        i = end + 2;
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        if (end < 0 || text.substring(i, end).indexOf('\n') >= 0) {
          throw new DnsException(source + ":" + line + ": unterminated quoted string");
        }
        tokens.add(new Token(text.substring(i + 1, end), line));
        i = end + 1;
      } else if (c == '{' || c == '}' || c == ';') {
        tokens.add(new Token(String.valueOf(c), line));
        i++;
      } else {
        int start = i;
        while (i < text.length()
            && !Character.isWhitespace(text.charAt(i))
            && "{};\"".indexOf(text.charAt(i)) < 0) {
          i++;
        }
        tokens.add(new Token(text.substring(start, i), line));
      }
    }
    return tokens;
  }
}
