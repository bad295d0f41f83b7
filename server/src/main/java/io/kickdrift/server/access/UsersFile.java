package io.kickdrift.server.access;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kickdrift.agent.state.AtomicWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The users file ({@code users:} → name → {@code role}, {@code password}), read strictly: an
 * unknown key, a bad role, a duplicate user or a password that is no hash ({@link Passwords}) is an
 * error {@code FILE:LINE: …}. Written atomically (temporary file, then a rename), mode 0640. {@link
 * #users()} reads the file again when its time or size changed, so serve sees {@code kickdrift user
 * add} without a restart; a broken file then keeps the users read before.
 */
public final class UsersFile {
  /** One user: the role and the password hash. */
  public record User(String name, Role role, String password) {}

  /** What {@link #bootstrap} did. */
  public enum Bootstrap {
    /** Made user admin; its password is in {@code STATE/initial-admin-password}. */
    CREATED,
    /** The users file exists: nothing done. */
    EXISTS,
    /** No users file and none can be written there: only the admin token works. */
    NOT_WRITABLE
  }

  /** A user name: a letter or digit first, then letters, digits, {@code . _ - @}; 64 at most. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private static final YAMLFactory YAML = new YAMLFactory();
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Path file;
  private Map<String, User> users = Map.of();
  private FileTime seenTime;
  private long seenSize = -1;
  private String problem;

  public UsersFile(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /**
   * The users, read again when the file changed; an empty map when it does not exist. A file that
   * became unreadable or broken keeps the users of its last good read ({@link #problem()} says
   * why).
   */
  public synchronized Map<String, User> users() {
    FileTime time;
    long size;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      time = a.lastModifiedTime();
      size = a.size();
    } catch (NoSuchFileException e) {
      users = Map.of();
      seenTime = null;
      seenSize = -1;
      problem = null;
      return users;
    } catch (IOException e) {
      problem = file + ": " + e.getMessage();
      return users;
    }
    if (time.equals(seenTime) && size == seenSize) {
      return users;
    }
    try {
      users = read(file);
      problem = null;
    } catch (UsersException e) {
      problem = e.getMessage();
    }
    seenTime = time;
    seenSize = size;
    return users;
  }

  /** Why the last read failed (the users before it are kept), or null. */
  public synchronized String problem() {
    return problem;
  }

  /** An error in the users file, {@code FILE:LINE: what}. */
  public static final class UsersException extends Exception {
    UsersException(String message) {
      super(message);
    }
  }

  /** The users of {@code file}, strictly; an absent file has none. */
  public static Map<String, User> read(Path file) throws UsersException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new UsersException(file + ": cannot read: " + e.getMessage());
    }
    try (JsonParser p = YAML.createParser(text)) {
      return parse(file, p);
    } catch (JsonProcessingException e) {
      throw new UsersException(
          file + ":" + e.getLocation().getLineNr() + ": not YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UsersException(file + ": " + e.getMessage());
    }
  }

  private static Map<String, User> parse(Path file, JsonParser p)
      throws IOException, UsersException {
    Map<String, User> users = new TreeMap<>();
    JsonToken t = p.nextToken();
    if (t == null) {
      return users; // an empty file: no users
    }
    expect(file, p, t == JsonToken.START_OBJECT, "a mapping with the key users");
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      if (!p.currentName().equals("users")) {
        throw error(file, p, "unknown key \"" + p.currentName() + "\"; expected users");
      }
      t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      expect(file, p, t == JsonToken.START_OBJECT, "users: a mapping of user names");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int line = line(p);
        if (!NAME.matcher(name).matches()) {
          throw error(file, p, "user name \"" + name + "\"; expected " + NAME.pattern());
        }
        if (users.containsKey(name)) {
          throw error(file, p, "user " + name + " appears twice");
        }
        expect(file, p, p.nextToken() == JsonToken.START_OBJECT, name + ": role and password");
        Role role = null;
        String password = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonToken v = p.nextToken();
          if (key.equals("role") || key.equals("password")) {
            expect(file, p, v == JsonToken.VALUE_STRING, name + "." + key + ": a string");
          }
          switch (key) {
            case "role" -> {
              try {
                role = Role.of(p.getText());
              } catch (IllegalArgumentException e) {
                throw error(file, p, name + ": " + e.getMessage());
              }
            }
            case "password" -> {
              password = p.getText();
              try {
                Passwords.check(password);
              } catch (IllegalArgumentException e) {
                // never quote the value: it may be a clear password
                throw error(file, p, name + ": password " + e.getMessage());
              }
            }
            default ->
                throw error(
                    file, p, name + ": unknown key \"" + key + "\"; expected role and password");
          }
        }
        if (role == null || password == null) {
          throw new UsersException(
              file
                  + ":"
                  + line
                  + ": user "
                  + name
                  + " lacks "
                  + (role == null ? "role" : "password"));
        }
        users.put(name, new User(name, role, password));
      }
    }
    return users;
  }

  private static void expect(Path file, JsonParser p, boolean ok, String expected)
      throws UsersException {
    if (!ok) {
      throw error(file, p, "expected " + expected);
    }
  }

  private static UsersException error(Path file, JsonParser p, String what) {
    return new UsersException(file + ":" + line(p) + ": " + what);
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** Writes {@code users} to {@code file} atomically, mode 0640. */
  public static void write(Path file, Map<String, User> users) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# kickdrift users: written by kickdrift user and serve; passwords are hashes\n");
    out.append("users:\n");
    for (User u : new TreeMap<>(users).values()) {
      if (!NAME.matcher(u.name()).matches()) {
        throw new IllegalArgumentException("user name \"" + u.name() + "\"");
      }
      Passwords.check(u.password());
      out.append("  \"").append(u.name()).append("\":\n");
      out.append("    role: ").append(u.role().word()).append('\n');
      out.append("    password: \"").append(u.password()).append("\"\n");
    }
    Path dir = file.toAbsolutePath().getParent();
    // root running kickdrift user on the service's file leaves it the service's (owner, group)
    Integer uid = (Integer) Files.getAttribute(Files.exists(file) ? file : dir, "unix:uid");
    Integer gid = (Integer) Files.getAttribute(Files.exists(file) ? file : dir, "unix:gid");
    AtomicWrite.to(file)
        .mode(0640)
        .owner(isRoot() ? uid : null, isRoot() ? gid : null)
        .write(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Changes the file: {@code change} gets the users as read (strictly) and returns the new ones.
   * Serialized within this process; two processes changing at once may lose one change.
   */
  public synchronized Map<String, User> change(
      java.util.function.UnaryOperator<Map<String, User>> change)
      throws IOException, UsersException {
    Map<String, User> next = change.apply(new TreeMap<>(read(file)));
    write(file, next);
    seenTime = null; // read again next time
    return users();
  }

  /**
   * First start: when {@code users} does not exist and can be written, makes user {@code admin}
   * with a random 20-character password written to {@code STATE/initial-admin-password} (0600).
   */
  public static Bootstrap bootstrap(Path users, Path stateDir) throws IOException {
    if (Files.exists(users)) {
      return Bootstrap.EXISTS;
    }
    Path dir = users.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
      return Bootstrap.NOT_WRITABLE;
    }
    SecureRandom random = new SecureRandom();
    char[] password = new char[20];
    for (int i = 0; i < password.length; i++) {
      password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    Path secret = stateDir.resolve("initial-admin-password");
    Files.deleteIfExists(secret);
    Files.createFile(
        secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(secret, new String(password) + "\n", StandardCharsets.UTF_8);
    try {
      write(users, Map.of("admin", new User("admin", Role.ADMIN, Passwords.hash(password))));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(secret);
      throw e;
    }
    java.util.Arrays.fill(password, '\0');
    return Bootstrap.CREATED;
  }
}
