package io.kickdrift.server.drift;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One host of the config repository at a glance: what its manifest lists, and its last commit.
 *
 * @param modified paths whose content or metadata differ from what their package shipped
 * @param unowned files no package owns
 * @param missing packaged or earlier-seen files gone from the host
 * @param unreadable files the scan could not read
 * @param lastScan when the last commit of this host was made ({@code null}: none found)
 * @param lastCommit that commit's id ({@code null}: none found)
 * @param problem why the manifest could not be read, naming it; {@code null} when it could
 */
public record HostSummary(
    String host,
    int modified,
    int unowned,
    int missing,
    int unreadable,
    Instant lastScan,
    String lastCommit,
    String problem) {

  /** The summary as the API shows it (kebab-case keys). */
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("host", host);
    json.put("modified", modified);
    json.put("unowned", unowned);
    json.put("missing", missing);
    json.put("unreadable", unreadable);
    json.put("last-scan", lastScan == null ? null : lastScan.toString());
    json.put("last-commit", lastCommit);
    json.put("problem", problem);
    return json;
  }
}
