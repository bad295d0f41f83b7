package io.kickdrift.server.fleet;

import io.kickdrift.agent.pkgdb.FileType;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
   * What {@link AgentlessScan#digestCommand} printed.
   *
   * @param hex each hashed file's digest by its name; a file that could not be read is not here
   * @param keyed the names of files whose first 16 KiB hold a private key
   */
  record Sums(Map<String, String> hex, Set<String> keyed) {}

  /**
   * Parses a {@code md5sum}/{@code sha256sum} listing ({@code HEX NAME} lines; a line that starts
   * with a backslash has its name's backslash, newline and carriage return escaped as {@code \\},
   * {@code \n} and {@code \r}), a line holding byte 1, then NUL-terminated names.
   *
   * @param hexLength the digest's length in hex digits
   * @throws AgentlessParseException naming {@code command} and the line or record
   */
  static Sums sums(String command, byte[] out, int hexLength) throws AgentlessParseException {
    int mark = out.length >= 2 && out[0] == 1 && out[1] == '\n' ? 0 : -1;
    for (int i = 0; mark < 0 && i + 2 < out.length; i++) {
      if (out[i] == '\n' && out[i + 1] == 1 && out[i + 2] == '\n') {
        mark = i + 1;
      }
    }
    if (mark < 0) {
      throw new AgentlessParseException(command, "output", "truncated (no line of byte 1)");
    }
    Map<String, String> hex = new HashMap<>();
    int line = 1;
    for (int start = 0; start < mark; line++) {
      int end = start;
      while (out[end] != '\n') {
        end++;
      }
      sumLine(command, "line " + line, out, start, end, hexLength, hex);
      start = end + 1;
    }
    Set<String> keyed = new HashSet<>();
    int start = mark + 2;
    for (int i = start; i < out.length; i++) {
      if (out[i] == 0) {
        keyed.add(new String(out, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start != out.length) {
      throw new AgentlessParseException(
          command, "record " + (keyed.size() + 1), "truncated (no final NUL)");
    }
    return new Sums(hex, keyed);
  }

  private static void sumLine(
      String command,
      String where,
      byte[] out,
      int from,
      int to,
      int hexLength,
      Map<String, String> into)
      throws AgentlessParseException {
    boolean escaped = from < to && out[from] == '\\';
    int h = escaped ? from + 1 : from;
    if (to - h < hexLength + 3
        || out[h + hexLength] != ' '
        || (out[h + hexLength + 1] != ' ' && out[h + hexLength + 1] != '*')) {
      throw new AgentlessParseException(
          command,
          where,
          "not 'DIGEST  NAME': '"
              + shorten(new String(out, from, to - from, StandardCharsets.UTF_8))
              + "'");
    }
    String hex = new String(out, h, hexLength, StandardCharsets.US_ASCII);
    if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new AgentlessParseException(
          command,
          where,
          "not a digest of " + hexLength + " hex digits: '" + AgentlessVerify.shorten(hex) + "'");
    }
    ByteArrayOutputStream name = new ByteArrayOutputStream(to - h);
    for (int i = h + hexLength + 2; i < to; i++) {
      byte b = out[i];
      if (escaped && b == '\\') {
        byte n = ++i < to ? out[i] : 0;
        b =
            switch (n) {
              case '\\' -> (byte) '\\';
              case 'n' -> (byte) '\n';
              case 'r' -> (byte) '\r';
              default ->
                  throw new AgentlessParseException(
                      command, where, "a backslash not followed by \\, n or r in the name");
            };
      }
      name.write(b);
    }
    into.put(name.toString(StandardCharsets.UTF_8), hex.toLowerCase(java.util.Locale.ROOT));
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
