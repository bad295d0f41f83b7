package io.kickdrift.server.drift;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One host's drift at the branch's head: the files its manifest lists and the commits that changed
 * it.
 *
 * @param commit the head commit read
 * @param files modified, missing and unreadable paths, by path
 * @param unowned files no package owns, by path
 * @param scans commits that changed {@code hosts/<host>/}, newest first, at most the bound asked
 * @param moreScans whether older commits were left out
 * @param problem why the manifest could not be read, naming it; {@code null} when it could
 */
public record HostDrift(
    String host,
    String commit,
    List<DriftFile> files,
    List<DriftFile> unowned,
    List<Scan> scans,
    boolean moreScans,
    String problem) {

  public HostDrift {
    files = List.copyOf(files);
    unowned = List.copyOf(unowned);
    scans = List.copyOf(scans);
  }

  /**
   * One commit of the host's history.
   *
   * @param subject the message's first line ({@code web01: 1 modified, 0 new, 0 missing})
   * @param changed paths on the host whose stored content changed, at most {@link
   *     DriftRepo#MAX_FILES_PER_SCAN}
   * @param changedCount how many changed in all
   */
  public record Scan(
      String commit,
      Instant time,
      String author,
      String subject,
      String message,
      List<String> changed,
      int changedCount) {
    public Scan {
      changed = List.copyOf(changed);
    }

    public Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("commit", commit);
      json.put("time", time.toString());
      json.put("author", author);
      json.put("subject", subject);
      json.put("message", message);
      json.put("files-changed", changed);
      json.put("files-changed-count", changedCount);
      return json;
    }
  }

  /** The host as {@code GET /api/v1/hosts/{host}/drift} shows it (kebab-case keys). */
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("host", host);
    json.put("commit", commit);
    json.put("files", files.stream().map(DriftFile::json).toList());
    json.put("unowned", unowned.stream().map(DriftFile::json).toList());
    json.put("scans", scans.stream().map(Scan::json).toList());
    json.put("more-scans", moreScans);
    json.put("problem", problem);
    return json;
  }
}
