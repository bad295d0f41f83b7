package io.kickdrift.agent.pkgdb.rpm;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Reads an rpm 4.16+ sqlite database ({@code rpmdb.sqlite}) under a root without writing to it,
 * locking it or copying it.
 *
 * <p>Example: {@code PackageDatabase db = RpmSqliteReader.read(Path.of("/"));}
 */
public final class RpmSqliteReader {
  static final String DB_FILE = "rpmdb.sqlite";

  private RpmSqliteReader() {}

  /**
   * Every package's files from {@code usr/lib/sysimage/rpm/rpmdb.sqlite} or {@code
   * var/lib/rpm/rpmdb.sqlite} under {@code root}; rows that do not decode become warnings.
   *
   * @throws NoSuchFileException when the root has no rpmdb.sqlite
   * @throws IOException when the database cannot be opened or read
   */
  public static PackageDatabase read(Path root) throws IOException {
    RpmRoot.DbLocation db =
        RpmRoot.find(root, DB_FILE)
            .orElseThrow(
                () ->
                    new NoSuchFileException(
                        root + ": no " + DB_FILE + " in " + String.join(" or ", RpmRoot.DB_DIRS)));
    List<String> warnings = new ArrayList<>();
    List<RpmPackage> packages = new ArrayList<>();
    try (Connection c = open(db.file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT hnum, blob FROM Packages ORDER BY hnum")) {
      while (rs.next()) {
        long hnum = rs.getLong(1);
        byte[] blob = rs.getBytes(2);
        try {
          RpmPackage p =
              RpmPackages.fromHeader(RpmHeader.decode(blob == null ? new byte[0] : blob));
          if (!p.isPubkey()) {
            packages.add(p);
          }
        } catch (RpmParseException e) {
          warnings.add(db.file() + ": Packages row hnum " + hnum + ": " + e.getMessage());
        }
      }
    } catch (SQLException e) {
      throw new IOException(db.file() + ": " + e.getMessage(), e);
    }
    return RpmRoot.database(
        PackageSource.RPM_SQLITE, packages, warnings, RpmRoot.aliasedDirs(root));
  }

  /**
   * Opens read-only. With an empty write-ahead log (rpm checkpoints it on exit) the file is opened
   * {@code immutable}: no locks, no {@code -shm} file, nothing written. A non-empty log means a
   * transaction is running or crashed; then {@code mode=ro} reads through the log as rpm would.
   */
  static Connection open(Path file) throws SQLException, IOException {
    Path wal = file.resolveSibling(file.getFileName() + "-wal");
    boolean walEmpty = !Files.exists(wal) || Files.size(wal) == 0;
    String uri = file.toUri() + (walEmpty ? "?immutable=1" : "?mode=ro");
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    return config.createConnection("jdbc:sqlite:" + uri);
  }
}
