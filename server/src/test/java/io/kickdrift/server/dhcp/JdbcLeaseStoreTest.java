package io.kickdrift.server.dhcp;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The lease contract on SQLite: each open is a new connection to {@code STATE/kickdrift.db}. */
class JdbcLeaseStoreTest extends LeaseStoreContract {
  @TempDir Path state;

  @Override
  protected LeaseStore open() {
    return JdbcLeaseStore.open(state);
  }
}
