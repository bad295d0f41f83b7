package io.kickdrift.server.serve;

import io.kickdrift.server.metrics.ServeMetrics;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the HTTP front offers operators beside the provisioner: the meters ({@code /metrics}),
 * readiness ({@code /readyz}: empty when ready, else the reason in a few words) and the inventory
 * reload ({@code POST /api/v1/reload}, given who asked).
 */
record Operations(
    ServeMetrics metrics,
    Supplier<Optional<String>> notReady,
    Function<String, Provisioner.Reloaded> reload) {

  /** No meters, always ready, reload through the provisioner: for an HTTP front alone (tests). */
  static Operations of(Provisioner provisioner) {
    return new Operations(ServeMetrics.none(), Optional::empty, provisioner::reloadNow);
  }
}
