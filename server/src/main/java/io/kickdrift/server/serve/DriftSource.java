package io.kickdrift.server.serve;

import io.kickdrift.server.inventory.Inventory;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The drift the config repository records, read-only: what the drift routes and the hosts' {@code
 * drift} filter show. Serve has one when it has a config repository ({@code --scan-repo}), over
 * {@code io.kickdrift.server.fleet.DriftRepo}; without one the drift routes answer 404. Each value
 * but {@link #hosts} is written as the route's JSON as it is (records, lists, maps of plain values,
 * no {@code java.time} types).
 */
interface DriftSource {
  /** Which side a file is compared with: the package's original, or the previous scan's copy. */
  enum Against {
    PACKAGED,
    PREVIOUS
  }

  /**
   * Every scanned host and whether its latest scan found drift (a changed, missing or unowned
   * file); a host never scanned is absent. One read for the whole fleet: the hosts list filters on
   * it at 10,000 hosts.
   */
  Map<String, Boolean> hosts() throws IOException;

  /** The host's drift (its files, unowned files, history of scans); empty if never scanned. */
  Optional<Object> host(String host) throws IOException;

  /** The side-by-side rows of one file of a host against {@code against}; empty if unknown. */
  Optional<Object> fileDiff(String host, String path, Against against) throws IOException;

  /** Per path: how many hosts differ, and the outliers. */
  Object fleet() throws IOException;

  /**
   * The variants of each path of a profile's hosts ({@code profile}, or every profile when null),
   * as {@code drift variants --json} writes them (docs/desired-state.md).
   *
   * @throws IllegalArgumentException for a profile the inventory does not have, naming those it has
   */
  Object variants(Inventory inventory, String profile) throws IOException;
}
