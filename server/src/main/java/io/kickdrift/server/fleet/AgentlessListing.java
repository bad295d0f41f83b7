package io.kickdrift.server.fleet;

import io.kickdrift.agent.pkgdb.FileType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NUL-separated records agentless scans ask the host for: one per file from {@code find
 * -printf} ({@link #FORMAT}), and one per hashed file from a shell loop ({@link #digests}). Names
 * may hold any byte but NUL, so nothing here splits on newlines. Pure parsers.
 */
final class AgentlessListing {
  /**
   * find's -printf format: type, type after following links, permission bits (octal), uid, gid,
   * size, mtime (seconds with fraction), path, link target.
   */
  static final String FORMAT = "%y\\0%Y\\0%m\\0%U\\0%G\\0%s\\0%T@\\0%p\\0%l\\0";

  private static final int FIELDS = 9;

  /**
   * One file as lstat saw it.
   *
   * @param kind find's %y letter ({@code f d l p s c b D}), or {@code X} for a path that does not
   *     exist
   * @param followed find's %Y letter: the type behind a symlink, {@code N} dangling, {@code L} a
   *     loop
   * @param path the host path, root prefix included
   * @param linkTarget for symlinks, else {@code null}
   */
  record Entry(
      char kind,
      char followed,
      int permissions,
      int uid,
      int gid,
      long size,
      long mtime,
      String path,
      String linkTarget) {
    boolean exists() {
      return kind != 'X';
    }

    FileType type() {
      return typeOf(kind);
    }
  }

  /**
   * One hashed file.
   *
   * @param hex the digest, {@code null} when the file could not be read
   * @param privateKey whether its first 16 KiB hold {@code PRIVATE KEY-----}
   */
  record Digested(String path, String hex, boolean privateKey) {}

  private AgentlessListing() {}

  static FileType typeOf(char kind) {
    return switch (kind) {
      case 'f' -> FileType.REGULAR;
      case 'd' -> FileType.DIRECTORY;
      case 'l' -> FileType.SYMLINK;
      case 'p' -> FileType.FIFO;
      case 's' -> FileType.SOCKET;
      case 'c' -> FileType.CHAR_DEVICE;
      case 'b' -> FileType.BLOCK_DEVICE;
      default -> null;
    };
  }

  /**
   * Parses {@link #FORMAT} records.
   *
   * @throws AgentlessParseException naming {@code command} and the record number
   */
  static List<Entry> entries(String command, byte[] out) throws AgentlessParseException {
    List<String> f = fields(command, out, FIELDS);
    List<Entry> entries = new ArrayList<>(f.size() / FIELDS);
    for (int i = 0; i < f.size(); i += FIELDS) {
      String where = "record " + (i / FIELDS + 1);
      char kind = letter(command, where, "type", f.get(i), "fdlpscbDX");
      char followed = letter(command, where, "followed type", f.get(i + 1), "fdlpscbDXNL?");
      int mode = (int) number(command, where, "mode", f.get(i + 2), 8, 07777);
      int uid = (int) number(command, where, "uid", f.get(i + 3), 10, 0xFFFFFFFFL);
      int gid = (int) number(command, where, "gid", f.get(i + 4), 10, 0xFFFFFFFFL);
      long size = number(command, where, "size", f.get(i + 5), 10, Long.MAX_VALUE);
      long mtime = seconds(command, where, f.get(i + 6));
      String path = f.get(i + 7);
      if (!path.startsWith("/")) {
        throw new AgentlessParseException(
            command, where, "path is not absolute: '" + AgentlessVerify.shorten(path) + "'");
      }
      String link = f.get(i + 8);
      entries.add(
          new Entry(kind, followed, mode, uid, gid, size, mtime, path, kind == 'l' ? link : null));
    }
    return entries;
  }

  /**
   * Parses {@code path NUL hex NUL key NUL} records; an empty hex means unreadable, key is {@code
   * 0} or {@code 1}.
   *
   * @param hexLength the digest's length in hex digits
   */
  static List<Digested> digests(String command, byte[] out, int hexLength)
      throws AgentlessParseException {
    List<String> f = fields(command, out, 3);
    List<Digested> d = new ArrayList<>(f.size() / 3);
    for (int i = 0; i < f.size(); i += 3) {
      String where = "record " + (i / 3 + 1);
      String hex = f.get(i + 1);
      String key = f.get(i + 2);
      if (hex.isEmpty()) {
        d.add(new Digested(f.get(i), null, false));
        continue;
      }
      if (hex.length() != hexLength || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new AgentlessParseException(
            command, where, "not a digest of " + hexLength + " hex digits: '" + hex + "'");
      }
      if (!key.equals("0") && !key.equals("1")) {
        throw new AgentlessParseException(
            command, where, "private-key flag is not 0 or 1: '" + key + "'");
      }
      d.add(new Digested(f.get(i), hex, key.equals("1")));
    }
    return d;
  }

  private static List<String> fields(String command, byte[] out, int perRecord)
      throws AgentlessParseException {
    List<String> f = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        f.add(new String(out, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start != out.length) {
      throw new AgentlessParseException(
          command, "record " + (f.size() / perRecord + 1), "truncated (no final NUL)");
    }
    if (f.size() % perRecord != 0) {
      throw new AgentlessParseException(
          command,
          "record " + (f.size() / perRecord + 1),
          "truncated (" + f.size() % perRecord + " of " + perRecord + " fields)");
    }
    return f;
  }

  private static char letter(String command, String where, String what, String s, String allowed)
      throws AgentlessParseException {
    if (s.length() != 1 || allowed.indexOf(s.charAt(0)) < 0) {
      throw new AgentlessParseException(
          command, where, what + " is not one of " + allowed + ": '" + shorten(s) + "'");
    }
    return s.charAt(0);
  }

  private static long number(
      String command, String where, String what, String s, int radix, long max)
      throws AgentlessParseException {
    try {
      if (s.isEmpty() || s.charAt(0) == '-' || s.charAt(0) == '+') {
        throw new NumberFormatException();
      }
      long v = Long.parseLong(s, radix);
      if (v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new AgentlessParseException(
          command, where, what + " is not a number in range: '" + shorten(s) + "'");
    }
  }

  /** find's %T@, {@code 1700000000.1234567890}, floored to whole seconds as the agent does. */
  private static long seconds(String command, String where, String s)
      throws AgentlessParseException {
    try {
      if (s.isEmpty() || s.length() > 40 || !s.matches("-?[0-9]+(\\.[0-9]*)?")) {
        throw new NumberFormatException();
      }
      return new BigDecimal(s).setScale(0, RoundingMode.FLOOR).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new AgentlessParseException(
          command, where, "mtime is not a number of seconds: '" + shorten(s) + "'");
    }
  }

  private static String shorten(String s) {
    return AgentlessVerify.shorten(s);
  }
}
