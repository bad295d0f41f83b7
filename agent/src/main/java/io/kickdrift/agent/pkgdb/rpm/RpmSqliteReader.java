package io.kickdrift.agent.pkgdb.rpm;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import java.io.IOException;
import java.nio.file.Path;

/** Placeholder until the RPM backend branch lands (removed by that merge). */
public final class RpmSqliteReader {
  private RpmSqliteReader() {}

  public static PackageDatabase read(Path root) throws IOException {
    throw new IOException("RPM backend not built yet");
  }
}
