package io.kickdrift.server.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kickdrift.agent.cli.Version;
import io.kickdrift.agent.state.AtomicWrite;
import io.kickdrift.agent.state.StateDir;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * A backup of a state directory: one {@code .tar.gz}, mode 0600, holding {@code
 * kickdrift-backup.json} (what it is, the schema version, when), the database as one consistent
 * snapshot ({@code VACUUM INTO}, a read transaction: {@code serve} goes on writing meanwhile), and
 * the keys and tokens (callback key, admin token, secret digest key, known_hosts) and the console's
 * users when their file is the state's ({@code users.yaml}). Not the served root nor the scan
 * caches: they are made again ({@code kickdrift loaders}, {@code import}, the next scan).
 *
 * <pre>
 * StateBackup.write(stateDir, Path.of("/srv/backup/kickdrift.tar.gz"));
 * StateBackup.restore(Path.of("/srv/backup/kickdrift.tar.gz"), stateDir);
 * </pre>
 */
public final class StateBackup {
  /** What the manifest's {@code format} says. */
  static final String FORMAT = "kickdrift-state-backup";

  static final String MANIFEST = "kickdrift-backup.json";
  static final String DATABASE = "kickdrift.db";

  /** The state's files a backup holds besides the database, by their name in the archive. */
  private static final Map<String, Function<StateDir, Path>> FILES = new LinkedHashMap<>();

  static {
    FILES.put("callback.key", StateDir::callbackKey);
    FILES.put("admin.token", StateDir::adminToken);
    FILES.put("secret-digest.key", StateDir::secretDigestKey);
    FILES.put("known_hosts", StateDir::knownHosts);
    FILES.put("users.yaml", StateDir::users);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private StateBackup() {}

  /** What a backup holds: its schema version and the files besides the database. */
  public record Contents(int schema, List<String> files, String created) {}

  /**
   * Writes a backup of {@code state} to {@code out}: complete or not at all (a temporary file
   * renamed over it), mode 0600 since it holds the keys.
   */
  public static Contents write(StateDir state, Path out) throws IOException {
    Path db = state.database();
    if (!Files.isRegularFile(db)) {
      throw new IOException(db + ": no state database to back up");
    }
    Path tmp = privateTempDir();
    try {
      Path snapshot = tmp.resolve(DATABASE);
      int schema;
      // opened as a store would: a database older than this build is migrated first
      try (Connection c = StateDatabase.open(state.dir(), "the state database", (f, open) -> open);
          PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
        schema = StateSchema.installed(c);
        vacuum.setString(1, snapshot.toString());
        vacuum.execute();
      } catch (SQLException e) {
        throw new IOException(db + ": cannot take a snapshot: " + e.getMessage(), e);
      }
      List<String> files = new ArrayList<>();
      Map<String, byte[]> contents = new LinkedHashMap<>();
      for (var f : FILES.entrySet()) {
        Path p = f.getValue().apply(state);
        if (Files.isRegularFile(p)) {
          files.add(f.getKey());
          contents.put(f.getKey(), Files.readAllBytes(p));
        }
      }
      Contents what = new Contents(schema, files, Instant.now().toString());
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("format", FORMAT);
      manifest.put("format-version", 1);
      manifest.put("schema-version", schema);
      manifest.put("kickdrift", Version.number());
      manifest.put("created", what.created());
      manifest.put("state", state.dir().toAbsolutePath().toString());
      manifest.putPOJO("files", files);
      AtomicWrite.to(out)
          .mode(0600)
          .write(
              o -> {
                try (TarArchiveOutputStream tar =
                    new TarArchiveOutputStream(
                        new GzipCompressorOutputStream(CloseShieldOutputStream.wrap(o)))) {
                  add(
                      tar,
                      MANIFEST,
                      JSON.writerWithDefaultPrettyPrinter()
                          .writeValueAsString(manifest)
                          .getBytes(StandardCharsets.UTF_8));
                  TarArchiveEntry e = new TarArchiveEntry(DATABASE);
                  e.setSize(Files.size(snapshot));
                  e.setMode(0100600);
                  tar.putArchiveEntry(e);
                  Files.copy(snapshot, tar);
                  tar.closeArchiveEntry();
                  for (var c : contents.entrySet()) {
                    add(tar, c.getKey(), c.getValue());
                  }
                }
              });
      return what;
    } finally {
      deleteTree(tmp);
    }
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    e.setMode(0100600);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /**
   * Replaces the state in {@code state} with the backup {@code from}: the file is checked first (a
   * kickdrift state backup, its database intact and of a schema version this build reads), then the
   * database is replaced in one SQLite transaction while no other process has it open (else
   * refused: stop {@code serve} first), then the key files. The database is then migrated to this
   * build's version if the backup's is older.
   */
  public static Contents restore(Path from, StateDir state) throws IOException {
    Path tmp = privateTempDir();
    try {
      Map<String, Path> unpacked = unpack(from, tmp);
      JsonNode manifest = manifest(from, unpacked.get(MANIFEST));
      Path snapshot = unpacked.get(DATABASE);
      if (snapshot == null) {
        throw new IOException(from + ": a kickdrift state backup without " + DATABASE);
      }
      int schema = check(from, snapshot);
      List<String> files = new ArrayList<>();
      for (String name : unpacked.keySet()) {
        if (FILES.containsKey(name)) {
          files.add(name);
        }
      }
      if (!Files.isDirectory(state.dir())) {
        Files.createDirectories(
            state.dir(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path db = state.database();
      try (Connection live = DriverManager.getConnection("jdbc:sqlite:" + db);
          Statement s = live.createStatement()) {
        // Exclusive: refused at once while serve or another command has the database open, and
        // none can open it until the restore is done.
        s.execute("PRAGMA busy_timeout = 0");
        s.execute("PRAGMA locking_mode = EXCLUSIVE");
        try {
          s.execute("BEGIN EXCLUSIVE");
          s.execute("COMMIT");
        } catch (SQLException e) {
          throw new IOException(
              db
                  + " is in use (kickdrift serve, or another kickdrift command, has it open):"
                  + " stop it first, then restore",
              e);
        }
        // SQLite's backup API, into the live file: one write transaction, WAL and all
        int rc =
            ((org.sqlite.SQLiteConnection) live)
                .getDatabase()
                .restore("main", snapshot.toString(), null);
        if (rc != 0) {
          throw new SQLException("SQLite error " + rc);
        }
        for (String name : files) {
          AtomicWrite.to(FILES.get(name).apply(state))
              .mode(name.equals("users.yaml") ? 0640 : 0600)
              .write(Files.readAllBytes(unpacked.get(name)));
        }
      } catch (SQLException e) {
        throw new IOException(db + ": cannot restore from " + from + ": " + e.getMessage(), e);
      }
      StateDatabase.migrate(state.dir());
      return new Contents(schema, files, manifest.path("created").asText());
    } finally {
      deleteTree(tmp);
    }
  }

  /** The archive's entries, each one of the names a backup holds, unpacked into {@code dir}. */
  private static Map<String, Path> unpack(Path from, Path dir) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(from));
        TarArchiveInputStream tar = new TarArchiveInputStream(gunzip(from, raw))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        if (out.isEmpty() && !name.equals(MANIFEST)) {
          throw notBackup(from, "its first entry is '" + name + "', not " + MANIFEST);
        }
        if (!e.isFile()
            || !(name.equals(MANIFEST) || name.equals(DATABASE) || FILES.containsKey(name))) {
          throw notBackup(from, "unexpected entry '" + name + "'");
        }
        if (out.containsKey(name)) {
          throw notBackup(from, "entry '" + name + "' twice");
        }
        Path p = dir.resolve(name);
        Files.copy(tar, p);
        out.put(name, p);
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(from.toString())) {
        throw e;
      }
      throw notBackup(from, "not a readable tar.gz (" + e.getMessage() + ")");
    }
    if (out.isEmpty()) {
      throw notBackup(from, "an empty archive");
    }
    return out;
  }

  private static InputStream gunzip(Path from, InputStream raw) throws IOException {
    raw.mark(2);
    int a = raw.read();
    int b = raw.read();
    raw.reset();
    if (a != 0x1f || b != 0x8b) {
      throw notBackup(from, "not gzip-compressed");
    }
    return new GzipCompressorInputStream(raw);
  }

  private static JsonNode manifest(Path from, Path manifest) throws IOException {
    JsonNode m;
    try {
      m = JSON.readTree(manifest.toFile());
    } catch (IOException e) {
      throw notBackup(from, MANIFEST + " is not JSON");
    }
    if (!FORMAT.equals(m.path("format").asText())) {
      throw notBackup(from, MANIFEST + " has format '" + m.path("format").asText() + "'");
    }
    if (m.path("format-version").asInt() != 1) {
      throw new IOException(
          from
              + ": backup format version "
              + m.path("format-version").asText()
              + "; this kickdrift reads version 1");
    }
    return m;
  }

  /** The schema version of the backup's database, once it is found intact and not too new. */
  private static int check(Path from, Path snapshot) throws IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + snapshot);
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
        String result = r.next() ? r.getString(1) : "no answer";
        if (!result.equals("ok")) {
          throw new IOException(from + ": its database is damaged: " + result);
        }
      }
      if (!StateSchema.hasTable(c, StateSchema.HISTORY)) {
        throw notBackup(from, "its database has no history of migrations");
      }
      int schema = StateSchema.installed(c);
      if (schema > StateSchema.LATEST) {
        throw new IOException(
            from
                + ": its database is at schema version "
                + schema
                + ", newer than this kickdrift ("
                + Version.number()
                + ") knows (up to "
                + StateSchema.LATEST
                + "): restore it with the release that made it");
      }
      return schema;
    } catch (SQLException e) {
      throw new IOException(from + ": its database cannot be read: " + e.getMessage(), e);
    }
  }

  private static IOException notBackup(Path from, String why) {
    return new IOException(from + ": not a kickdrift state backup: " + why);
  }

  private static Path privateTempDir() throws IOException {
    return Files.createTempDirectory(
        "kickdrift-backup",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
