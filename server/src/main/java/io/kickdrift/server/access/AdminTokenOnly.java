package io.kickdrift.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Access with the state's admin token alone ({@code STATE/admin.token}, hex): no users, no
 * sessions, no logins, nothing audited. What an HTTP front without a users file has (tests), and
 * the part of {@link AccessControl} that reads the admin token.
 */
public final class AdminTokenOnly implements Access {
  /** The principal the admin token authenticates. */
  public static final Principal ADMIN = new Principal("admin-token", Role.ADMIN, "admin-token");

  private final byte[] adminHex;

  public AdminTokenOnly(byte[] adminToken) {
    this.adminHex = HexFormat.of().formatHex(adminToken).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public Optional<Principal> bearer(String token, Instant now) {
    byte[] given = token.strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, adminHex) ? Optional.of(ADMIN) : Optional.empty();
  }

  @Override
  public Optional<Session> session(String id, Instant now) {
    return Optional.empty();
  }

  @Override
  public Login login(String user, char[] password, String from, Instant now) {
    return new Login.Refused();
  }

  @Override
  public void logout(String sessionId) {}

  @Override
  public void audit(Principal who, String action, String target, String from, Instant at) {}
}
