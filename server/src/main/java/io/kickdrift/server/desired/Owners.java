package io.kickdrift.server.desired;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kickdrift.agent.scan.GlobRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who owns which files ({@code owners.yaml} at the top of the config repository;
 * docs/desired-state.md): claims in order, each a glob of host paths (gitignore syntax, as the
 * scan's rules) and a forge owner; the last claim that matches a path owns it. Generates the
 * forges' {@code CODEOWNERS}: gitignore patterns for GitHub ({@code .github/CODEOWNERS}) and GitLab
 * ({@code .gitlab/CODEOWNERS}), Go regular expressions for Gitea ({@code .gitea/CODEOWNERS}); none
 * at the top, where GitLab and Gitea would both read it and disagree on its syntax.
 */
public final class Owners {
  /** One claim. */
  public record Claim(String glob, String owner, String note, String by, String at) {}

  /** The file's name at the top of the config repository. */
  public static final String FILE = "owners.yaml";

  /** {@code @user}, {@code @org/team}, or an e-mail address: what the three forges accept. */
  static final Pattern OWNER =
      Pattern.compile(
          "@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?)?"
              + "|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

  /** A glob the three forges can all express: no negation, no character class, no whitespace. */
  static final Pattern GLOB = Pattern.compile("[^!\\[\\]\\s#\\\\][^\\[\\]\\s#\\\\]*");

  private static final YAMLFactory YAML = new YAMLFactory();

  private final List<Claim> claims;
  private final GlobRules rules;

  public Owners(List<Claim> claims) {
    this.claims = List.copyOf(claims);
    StringBuilder b = new StringBuilder();
    for (Claim c : claims) {
      b.append(c.glob()).append('\n');
    }
    this.rules = GlobRules.parse(FILE, b.toString());
  }

  public List<Claim> claims() {
    return claims;
  }

  /** The owner of host path {@code path}: the last claim that matches it; null when none does. */
  public String ownerOf(String path) {
    String glob = rules.match(path, false);
    if (glob == null) {
      return null;
    }
    for (int i = claims.size() - 1; i >= 0; i--) {
      if (claims.get(i).glob().equals(glob)) {
        return claims.get(i).owner();
      }
    }
    return null;
  }

  /**
   * These claims with {@code c} added last (a claim of the same glob is replaced and moves last:
   * the newest decides).
   *
   * @throws IllegalArgumentException for a glob or owner the forges cannot take, saying what is
   *     expected
   */
  public Owners with(Claim c) {
    check(c.glob(), c.owner());
    List<Claim> next = new ArrayList<>();
    for (Claim old : claims) {
      if (!old.glob().equals(c.glob())) {
        next.add(old);
      }
    }
    next.add(c);
    return new Owners(next);
  }

  static void check(String glob, String owner) {
    if (glob == null || !GLOB.matcher(glob).matches()) {
      throw new IllegalArgumentException(
          "glob '"
              + glob
              + "': expected a path glob of the scanned hosts (gitignore syntax: /etc/nginx/**,"
              + " *.conf) without !, [ ], #, \\ or spaces, which CODEOWNERS cannot express");
    }
    GlobRules.parse("glob", glob); // its own errors
    if (owner == null || !OWNER.matcher(owner).matches()) {
      throw new IllegalArgumentException(
          "owner '" + owner + "': expected @user, @org/team or an e-mail address, as forges take");
    }
  }

  // ---- owners.yaml --------------------------------------------------------------------------

  /** The claims of {@code owners.yaml} at the head of {@code repo} ({@code where} names it). */
  public static Owners at(io.kickdrift.server.drift.DriftRepo repo, String where)
      throws IOException {
    return repo.topFile(FILE)
        .map(b -> parse(where + "@HEAD:" + FILE, new String(b, StandardCharsets.UTF_8)))
        .orElse(new Owners(List.of()));
  }

  /**
   * The claims of {@code text} (the file {@code where}); strict, errors {@code WHERE:LINE: what}.
   */
  public static Owners parse(String where, String text) {
    List<Claim> out = new ArrayList<>();
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new Owners(out);
      }
      expect(where, p, t == JsonToken.START_OBJECT, "a mapping with the key claims");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if (!p.currentName().equals("claims")) {
          throw error(where, p, "unknown key \"" + p.currentName() + "\"; expected claims");
        }
        t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        expect(where, p, t == JsonToken.START_ARRAY, "claims: a list");
        while (p.nextToken() == JsonToken.START_OBJECT) {
          int line = p.currentTokenLocation().getLineNr();
          Map<String, String> v = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (!List.of("path", "owner", "note", "by", "at").contains(key)) {
              throw error(
                  where, p, "unknown key \"" + key + "\"; expected path, owner, note, by, at");
            }
            expect(where, p, value == JsonToken.VALUE_STRING, key + ": a string");
            v.put(key, p.getText());
          }
          Claim c =
              new Claim(v.get("path"), v.get("owner"), v.get("note"), v.get("by"), v.get("at"));
          try {
            check(c.glob(), c.owner());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ":" + line + ": " + e.getMessage(), e);
          }
          out.add(c);
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          where + ":" + e.getLocation().getLineNr() + ": not YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    return new Owners(out);
  }

  /** owners.yaml's text: the claims in order. */
  public String yaml() {
    StringBuilder b = new StringBuilder();
    b.append(
            "# Who owns which files of the hosts: written by kickdrift claim; the last claim that\n")
        .append("# matches a path owns it. The forges' CODEOWNERS files are made from this one.\n")
        .append("claims:\n");
    for (Claim c : claims) {
      b.append("  - path: ").append(DesiredTree.quote(c.glob())).append('\n');
      b.append("    owner: ").append(DesiredTree.quote(c.owner())).append('\n');
      if (c.note() != null) {
        b.append("    note: ").append(DesiredTree.quote(c.note())).append('\n');
      }
      if (c.by() != null) {
        b.append("    by: ").append(DesiredTree.quote(c.by())).append('\n');
      }
      if (c.at() != null) {
        b.append("    at: ").append(DesiredTree.quote(c.at())).append('\n');
      }
    }
    return b.toString();
  }

  // ---- CODEOWNERS ---------------------------------------------------------------------------

  /** The three forges' files, by their path in the repository. */
  public Map<String, byte[]> codeowners() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    String git = gitignoreForm();
    out.put(".github/CODEOWNERS", git.getBytes(StandardCharsets.UTF_8));
    out.put(".gitlab/CODEOWNERS", git.getBytes(StandardCharsets.UTF_8));
    out.put(".gitea/CODEOWNERS", giteaForm().getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private static final String HEADER =
      "# Made by kickdrift claim from owners.yaml: change that file (kickdrift claim), not this.\n";

  /**
   * GitHub's and GitLab's form: gitignore patterns of repository paths, the last match wins. A
   * claim whose glob may name a directory is two lines, the glob and everything beneath it, so that
   * it means the same whether a forge lets a pattern that matches a directory match what is in it.
   */
  public String gitignoreForm() {
    StringBuilder b = new StringBuilder(HEADER);
    for (Claim c : claims) {
      String g = repoGlob(c.glob());
      b.append(g).append(' ').append(c.owner()).append('\n');
      if (!g.endsWith("/**")) {
        b.append(g).append("/** ").append(c.owner()).append('\n');
      }
    }
    return b.toString();
  }

  /** A host glob as a glob of the repository's paths: under every host's {@code files/}. */
  static String repoGlob(String glob) {
    String g = glob.endsWith("/") ? glob + "**" : glob;
    boolean anchored = g.substring(0, g.length() - 1).indexOf('/') >= 0;
    return "/hosts/*/files" + (anchored ? (g.startsWith("/") ? g : "/" + g) : "/**/" + g);
  }

  /** Gitea's form: per claim, a Go regular expression of the repository paths its glob matches. */
  public String giteaForm() {
    StringBuilder b = new StringBuilder(HEADER);
    b.append("# Gitea's syntax: Go regular expressions of repository paths.\n");
    for (Claim c : claims) {
      b.append(regex(repoGlob(c.glob()).substring(1))).append(' ').append(c.owner()).append('\n');
    }
    return b.toString();
  }

  /** A gitignore glob as a Go regular expression, escaped as Gitea's file reads it. */
  static String regex(String glob) {
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char ch = glob.charAt(i);
      if (ch == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        r.append(slash ? "(.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (ch == '*') {
        r.append("[^/]*");
      } else if (ch == '?') {
        r.append("[^/]");
      } else if (".+()|{}^$".indexOf(ch) >= 0) {
        r.append("\\\\").append(ch); // \\ in the file: a backslash for the regexp
      } else {
        r.append(ch);
      }
    }
    return r + "(/.*)?";
  }

  private static void expect(String where, JsonParser p, boolean ok, String expected) {
    if (!ok) {
      throw error(where, p, "expected " + expected);
    }
  }

  private static IllegalArgumentException error(String where, JsonParser p, String what) {
    return new IllegalArgumentException(
        where + ":" + p.currentTokenLocation().getLineNr() + ": " + what);
  }
}
