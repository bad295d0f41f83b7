package io.kickdrift.server.fleet;

import io.kickdrift.server.state.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The scan-job contract on SQLite: each open is a new connection to {@code STATE/kickdrift.db}. */
class ScanJobsTest extends ScanJobsContract {
  @TempDir Path state;

  @Override
  protected ScanJobs open() {
    return new ScanJobs(Database.sqlite(state));
  }
}
