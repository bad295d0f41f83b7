package io.kickdrift.server.access;

import io.kickdrift.server.state.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Personal API tokens in the state database ({@code api_tokens}): {@code kd_ID_SECRET}, ID 16 hex
 * digits, SECRET 32 random bytes in base64url. Only the SHA-256 of the secret is kept, compared in
 * constant time. A token's scope is a role; whoever checks it caps it by its user's role now. Last
 * use is written at most once a minute per token.
 */
public final class ApiTokens implements AutoCloseable {
  /** A token as listed: never its secret. */
  public record Token(
      String id,
      String user,
      String name,
      Role scope,
      Instant created,
      Instant expires,
      Instant revoked,
      Instant lastUsed) {
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("user", user);
      m.put("name", name);
      m.put("scope", scope.word());
      m.put("created", created.toString());
      m.put("expires", expires == null ? null : expires.toString());
      m.put("revoked", revoked == null ? null : revoked.toString());
      m.put("last-used", lastUsed == null ? null : lastUsed.toString());
      return m;
    }
  }

  /** A new token: its text, shown once, and its row. */
  public record Created(String text, Token token) {}

  private static final Pattern TEXT = Pattern.compile("kd_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
  private static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);

  private final Database db;
  private final SecureRandom random = new SecureRandom();

  /**
   * The tokens in {@code db}, which this closes when closed (pass {@code db.share()} to keep it).
   */
  public ApiTokens(Database db) {
    this.db = db;
  }

  /** The tokens of SQLite's state database in {@code stateDir} (migrated first when older). */
  public static ApiTokens open(Path stateDir) {
    return new ApiTokens(Database.sqlite(stateDir));
  }

  /** A new token for {@code user}; {@code expires} may be null (never). */
  public synchronized Created create(
      String user, String name, Role scope, Instant now, Instant expires) {
    byte[] idBytes = new byte[8];
    byte[] secret = new byte[32];
    random.nextBytes(idBytes);
    random.nextBytes(secret);
    String id = HexFormat.of().formatHex(idBytes);
    String text = "kd_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    try {
      db.use(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO api_tokens (id, \"user\", name, scope, created, expires,"
                        + " secret_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
              s.setString(1, id);
              s.setString(2, user);
              s.setString(3, name);
              s.setString(4, scope.word());
              s.setString(5, now.toString());
              s.setString(6, expires == null ? null : expires.toString());
              s.setBytes(7, sha256(secret(text)));
              return s.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw db.failed("add token", e);
    }
    return new Created(text, new Token(id, user, name, scope, now, expires, null, null));
  }

  /** Whether {@code text} has a token's form ({@code kd_…}). */
  public static boolean looksLike(String text) {
    return text != null && TEXT.matcher(text).matches();
  }

  /**
   * The live token (known, secret right, not revoked, not expired) for {@code text}, its last use
   * noted; else empty.
   */
  public synchronized Optional<Token> check(String text, Instant now) {
    Matcher m = TEXT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    Optional<Token> found = find(m.group(1));
    byte[] stored = found.isPresent() ? storedHash(m.group(1)) : new byte[32];
    boolean right =
        MessageDigest.isEqual(stored, sha256(m.group(2).getBytes(StandardCharsets.US_ASCII)));
    if (found.isEmpty() || !right) {
      return Optional.empty();
    }
    Token t = found.get();
    if (t.revoked() != null || (t.expires() != null && !now.isBefore(t.expires()))) {
      return Optional.empty();
    }
    if (t.lastUsed() == null || !now.isBefore(t.lastUsed().plus(LAST_USED_EVERY))) {
      update("UPDATE api_tokens SET last_used = ? WHERE id = ?", now.toString(), t.id());
    }
    return found;
  }

  /** The token {@code id}, live or not. */
  public synchronized Optional<Token> find(String id) {
    List<Token> l = query("SELECT * FROM api_tokens WHERE id = ?", id);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** The tokens of {@code user}, or all when null; newest first. */
  public synchronized List<Token> list(String user) {
    return user == null
        ? query("SELECT * FROM api_tokens ORDER BY created DESC, id")
        : query("SELECT * FROM api_tokens WHERE \"user\" = ? ORDER BY created DESC, id", user);
  }

  /** Revokes token {@code id}; false when unknown or already revoked. */
  public synchronized boolean revoke(String id, Instant now) {
    return update(
            "UPDATE api_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
            now.toString(),
            id)
        == 1;
  }

  /** Revokes every token of {@code user} (the user was removed); how many. */
  public synchronized int revokeUser(String user, Instant now) {
    return update(
        "UPDATE api_tokens SET revoked = ? WHERE \"user\" = ? AND revoked IS NULL",
        now.toString(),
        user);
  }

  @Override
  public void close() {
    db.close();
  }

  private byte[] storedHash(String id) {
    try {
      return db.use(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement("SELECT secret_sha256 FROM api_tokens WHERE id = ?")) {
              s.setString(1, id);
              try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : new byte[32];
              }
            }
          });
    } catch (SQLException e) {
      throw db.failed("read token", e);
    }
  }

  private List<Token> query(String sql, String... args) {
    try {
      return db.use(
          c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
              bind(s, args);
              List<Token> out = new ArrayList<>();
              try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                  out.add(
                      new Token(
                          r.getString("id"),
                          r.getString("user"),
                          r.getString("name"),
                          Role.of(r.getString("scope")),
                          Instant.parse(r.getString("created")),
                          instant(r.getString("expires")),
                          instant(r.getString("revoked")),
                          instant(r.getString("last_used"))));
                }
              }
              return out;
            }
          });
    } catch (SQLException e) {
      throw db.failed("read tokens", e);
    }
  }

  private int update(String sql, String... args) {
    try {
      return db.use(
          c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
              bind(s, args);
              return s.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw db.failed("write tokens", e);
    }
  }

  /** Sets {@code args} as the parameters of {@code s}, in order. */
  private static void bind(PreparedStatement s, String... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setString(i + 1, args[i]);
    }
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static byte[] secret(String text) {
    return text.substring("kd_".length() + 16 + 1).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] sha256(byte[] bytes) {
    return DigestUtils.sha256(bytes);
  }
}
