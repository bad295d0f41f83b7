package io.kickdrift.agent.pkgdb.rpm;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads an rpm database kickdrift does not decode itself (Berkeley DB {@code Packages}, SUSE ndb
 * {@code Packages.db}) by asking the {@code rpm} command for the same per-file header values, in
 * one {@code rpm -qa --queryformat} call.
 *
 * <p>Example: {@code PackageDatabase db = RpmQueryReader.read(Path.of("/"));}
 */
public final class RpmQueryReader {

  /** Database files, most specific first, with why rpm is asked instead of reading them. */
  private static final List<String[]> DB_FILES =
      List.of(
          new String[] {"Packages.db", "an ndb database"},
          new String[] {"Packages", "a Berkeley DB database"},
          new String[] {RpmSqliteReader.DB_FILE, "sqlite, but the rpm query was asked for"});

  /** Runs {@code rpm} with the given arguments and returns its standard output. */
  interface RpmCommand {
    String run(List<String> args) throws IOException;
  }

  private RpmQueryReader() {}

  /**
   * Every package's files under {@code root}, as {@code rpm --root root -qa} reports them.
   *
   * @throws NoSuchFileException when the root has no rpm database
   * @throws IOException when rpm cannot be run or fails
   */
  public static PackageDatabase read(Path root) throws IOException {
    return read(root, RpmQueryReader::runRpm);
  }

  static PackageDatabase read(Path root, RpmCommand rpm) throws IOException {
    RpmRoot.DbLocation db = null;
    String why = null;
    for (String[] candidate : DB_FILES) {
      var found = RpmRoot.find(root, candidate[0]);
      if (found.isPresent()) {
        db = found.get();
        why = candidate[0] + " is " + candidate[1];
        break;
      }
    }
    if (db == null) {
      throw new NoSuchFileException(root + ": no rpm database in " + RpmRoot.DB_DIRS);
    }
    String out =
        rpm.run(
            List.of(
                "--root",
                root.toString(),
                "--dbpath",
                db.dbPath(),
                "-qa",
                "--queryformat",
                RpmQueryFormat.format()));
    RpmQueryFormat.Parsed parsed = RpmQueryFormat.parse(out);
    List<String> warnings = new ArrayList<>();
    warnings.add("rpm database " + db.dbPath() + " read through `rpm -qa --queryformat`: " + why);
    warnings.addAll(parsed.warnings());
    return RpmRoot.database(
        PackageSource.RPM_QUERY, parsed.packages(), warnings, RpmRoot.aliasedDirs(root));
  }

  static String runRpm(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("rpm");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    try {
      int rc = p.waitFor();
      String stderr = new String(err.get(), StandardCharsets.UTF_8).strip();
      if (rc != 0) {
        throw new IOException("rpm -qa exited " + rc + (stderr.isEmpty() ? "" : ": " + stderr));
      }
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for rpm", e);
    } catch (ExecutionException e) {
      throw new IOException("reading rpm's stderr", e.getCause());
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static byte[] drain(InputStream in) {
    try (InputStream s = in) {
      return s.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
