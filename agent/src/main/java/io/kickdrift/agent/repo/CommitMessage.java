package io.kickdrift.agent.repo;

import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Finding.Desired.Verdict;
import io.kickdrift.agent.scan.ScanReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;

/** Commit messages: a one-line summary, then the trailers Host, Scan-Id and Agent-Version. */
final class CommitMessage {
  private static final String MISSING = "missing";

  private CommitMessage() {}

  /**
   * How a host's manifest changed in one scan.
   *
   * @param modified paths present before whose content or manifest entry changed
   * @param added paths not in the previous manifest (or missing there and back now)
   * @param missing paths newly marked missing
   * @param resolved paths dropped because they no longer drift
   */
  record Changes(int modified, int added, int missing, int resolved) {
    boolean isEmpty() {
      return modified + added + missing + resolved == 0;
    }
  }

  /** Compares a host's previous manifest and stored blobs (by absolute path) with the new ones. */
  static Changes changes(
      Manifest before,
      Map<String, ObjectId> blobsBefore,
      Manifest after,
      Map<String, ObjectId> blobsAfter) {
    int modified = 0;
    int added = 0;
    int missing = 0;
    int resolved = 0;
    for (Map.Entry<String, ManifestEntry> e : after.files().entrySet()) {
      ManifestEntry old = before.files().get(e.getKey());
      boolean nowMissing = MISSING.equals(e.getValue().status());
      boolean wasMissing = old != null && MISSING.equals(old.status());
      if (nowMissing) {
        if (!wasMissing) {
          missing++;
        }
      } else if (old == null || wasMissing) {
        added++;
      } else if (!old.equals(e.getValue())
          || !Objects.equals(blobsBefore.get(e.getKey()), blobsAfter.get(e.getKey()))) {
        modified++;
      }
    }
    for (String p : before.files().keySet()) {
      if (!after.files().containsKey(p)) {
        resolved++;
      }
    }
    return new Changes(modified, added, missing, resolved);
  }

  /**
   * {@code web01: 3 modified, 1 new, 1 missing}, and {@code , 2 resolved} when there are any; for a
   * scan against the host's desired state, a paragraph with the verdicts ({@link #desired}).
   */
  static String scan(String host, Changes c, Trailers t, String desired) {
    List<String> parts = new ArrayList<>();
    parts.add(c.modified() + " modified");
    parts.add(c.added() + " new");
    parts.add(c.missing() + " missing");
    if (c.resolved() > 0) {
      parts.add(c.resolved() + " resolved");
    }
    return host
        + ": "
        + String.join(", ", parts)
        + "\n\n"
        + (desired.isEmpty() ? "" : desired + "\n")
        + t.text();
  }

  /**
   * The desired-state verdicts of a scan's findings: a count line, then each drifted and undeclared
   * path; empty when the scan was not compared with a desired state.
   */
  static String desired(ScanReport report) {
    List<Finding> judged = report.drift().stream().filter(f -> f.desired() != null).toList();
    if (judged.isEmpty()) {
      return "";
    }
    Map<Verdict, Long> n = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      n.put(v, 0L);
    }
    StringBuilder lines = new StringBuilder();
    for (Finding f : judged) {
      Verdict v = f.desired().verdict();
      n.merge(v, 1L, Long::sum);
      if (v != Verdict.EXPECTED) {
        lines.append(v.name().toLowerCase(Locale.ROOT)).append(": ").append(f.path());
        if (!f.desired().differences().isEmpty()) {
          lines.append(" (").append(String.join(", ", f.desired().differences())).append(')');
        }
        lines.append('\n');
      }
    }
    return "Against desired state: "
        + n.get(Verdict.EXPECTED)
        + " expected, "
        + n.get(Verdict.DRIFTED)
        + " drifted, "
        + n.get(Verdict.UNDECLARED)
        + " undeclared\n"
        + lines;
  }

  /** {@code web01: packaged originals of 2 files}. */
  static String originals(String host, int files, Trailers t) {
    return host
        + ": packaged original"
        + (files == 1 ? " of 1 file" : "s of " + files + " files")
        + "\n\n"
        + t.text();
  }

  record Trailers(String host, String scanId, String agentVersion) {
    String text() {
      return "Host: " + host + "\nScan-Id: " + scanId + "\nAgent-Version: " + agentVersion + "\n";
    }
  }
}
