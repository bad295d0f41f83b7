package io.kickdrift.server.serve;

import io.kickdrift.server.metrics.ServeMetrics;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the HTTP front offers operators beside the provisioner: the meters ({@code /metrics}),
 * readiness ({@code /readyz}: empty when ready, else the reason in a few words), the inventory
 * reload ({@code POST /api/v1/reload}, given who asked), a configuration scan of a host now (with a
 * config repository), the drift it records, and the accounts (tokens, users, audit log). The last
 * three are empty when serve has none: their routes say so.
 */
record Operations(
    ServeMetrics metrics,
    Supplier<Optional<String>> notReady,
    Function<String, Provisioner.Reloaded> reload,
    Supplier<Optional<Rescan>> rescan,
    Optional<DriftSource> drift,
    Optional<AccountAdmin> accounts) {

  /** Scans a host's configuration now, into the config repository. */
  @FunctionalInterface
  interface Rescan {
    /** False when a scan of the host is already waiting; the scan's outcome is an event. */
    boolean now(String host);
  }

  Operations(
      ServeMetrics metrics,
      Supplier<Optional<String>> notReady,
      Function<String, Provisioner.Reloaded> reload) {
    this(metrics, notReady, reload, Optional::empty, Optional.empty(), Optional.empty());
  }

  /** No meters, always ready, reload through the provisioner: for an HTTP front alone (tests). */
  static Operations of(Provisioner provisioner) {
    return new Operations(ServeMetrics.none(), Optional::empty, provisioner::reloadNow);
  }

  Operations withRescan(Supplier<Optional<Rescan>> rescan) {
    return new Operations(metrics, notReady, reload, rescan, drift, accounts);
  }

  Operations withReload(Function<String, Provisioner.Reloaded> reload) {
    return new Operations(metrics, notReady, reload, rescan, drift, accounts);
  }

  Operations withDrift(DriftSource drift) {
    return new Operations(metrics, notReady, reload, rescan, Optional.of(drift), accounts);
  }

  Operations withAccounts(AccountAdmin accounts) {
    return new Operations(metrics, notReady, reload, rescan, drift, Optional.of(accounts));
  }
}
