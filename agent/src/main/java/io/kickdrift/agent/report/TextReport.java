package io.kickdrift.agent.report;

import io.kickdrift.agent.scan.AgainstDesired;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Finding.Desired.Verdict;
import io.kickdrift.agent.scan.Problem;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The readable summary a person reads on a terminal. */
public final class TextReport {
  private TextReport() {}

  public static void print(ScanReport r, PrintStream out) {
    ScanReport.Stats s = r.stats();
    out.printf(
        "%s (root %s): %s, %s scope, %d packaged files checked, %d files looked at for"
            + " ownership, %.1f MB hashed, %d cache hits, %d ms%n",
        r.host(),
        r.root(),
        r.backend(),
        r.scope(),
        s.packageFiles(),
        s.unownedCandidates(),
        s.bytesHashed() / 1e6,
        s.cacheHits(),
        s.millis());
    if (!r.metadataChecked()) {
      out.println(
          "note: modes, owners and link targets of packaged files were not (all) checked:"
              + " the package database does not record them (give --debs DIR for dpkg)");
    }
    for (Finding f : r.findings()) {
      out.println("  " + line(f));
      for (SecretMatch m : f.inlineSecrets()) {
        out.println("      " + secretValue(m));
      }
    }
    if (!r.leftovers().isEmpty()) {
      out.println("Leftovers (pending merges or backups of package managers):");
      r.leftovers().forEach(l -> out.println("  " + l));
    }
    if (!r.warnings().isEmpty()) {
      out.println("Warnings:");
      r.warnings().forEach(w -> out.println("  " + w));
    }
    long holding = r.holdingSecretValues();
    out.printf(
        "%d modified, %d missing, %d unowned, %d unreadable%s%s%s%n",
        r.count(Status.MODIFIED),
        r.count(Status.MISSING),
        r.count(Status.UNOWNED),
        r.count(Status.UNREADABLE),
        holding == 0
            ? ""
            : "; " + holding + " file" + (holding == 1 ? " holds" : "s hold") + " secret values",
        r.drift().isEmpty() ? ": no drift" : "",
        classified(r));
    if (r.findings().stream().anyMatch(f -> f.desired() != null)) {
      Map<Verdict, Long> n = AgainstDesired.counts(r);
      out.printf(
          "against desired state: %d expected, %d drifted, %d undeclared%s%n",
          n.get(Verdict.EXPECTED),
          n.get(Verdict.DRIFTED),
          n.get(Verdict.UNDECLARED),
          AgainstDesired.unexpected(r) ? "" : ": nothing unexpected");
    }
  }

  /** What the summary says of findings maintainer scripts account for. */
  private static String classified(ScanReport r) {
    long n = r.stats().classified();
    if (n == 0) {
      return "";
    }
    long shown = r.findings().size() - r.drift().size();
    return shown == n
        ? " (" + n + " of them made by maintainer scripts, not counted as drift)"
        : "; " + n + " made by maintainer scripts not shown (--include-generated shows them)";
  }

  static String line(Finding f) {
    StringBuilder b = new StringBuilder();
    if (f.desired() != null) {
      b.append(String.format("%-11s", f.desired().verdict().name().toLowerCase(Locale.ROOT)));
    }
    b.append(
        String.format(
            "%-10s %c %s",
            f.status().name().toLowerCase(Locale.ROOT), f.config() ? 'c' : ' ', f.path()));
    if (f.pkg() != null) {
      b.append("  [").append(f.pkg()).append(' ').append(f.version()).append(']');
    }
    if (!f.problems().isEmpty()) {
      b.append("  ")
          .append(f.problems().stream().map(p -> describe(p, f)).collect(Collectors.joining(", ")));
    }
    if (f.secret() != null) {
      b.append("  (secret: ").append(f.secret()).append(')');
    }
    if (f.note() != null) {
      b.append("  (").append(f.note()).append(')');
    }
    if (f.desired() != null && !f.desired().differences().isEmpty()) {
      b.append("  {desired: ").append(String.join(", ", f.desired().differences())).append('}');
    }
    if (f.origin() != null) {
      b.append("  [")
          .append(f.origin().kind().name().toLowerCase(Locale.ROOT))
          .append(": ")
          .append(f.origin().reason())
          .append(']');
    }
    return b.toString();
  }

  /** Where a secret value is and which rule found it; never the value. */
  static String secretValue(SecretMatch m) {
    return "secret value at line "
        + m.line()
        + ": "
        + m.rule()
        + (m.key() == null ? "" : " (key " + m.key() + ")");
  }

  private static String describe(Problem p, Finding f) {
    Finding.Observed e = f.expected();
    Finding.Observed a = f.actual();
    if (e == null || a == null) {
      return p.name().toLowerCase(Locale.ROOT);
    }
    switch (p) {
      case MODE:
        return "mode " + e.mode() + "->" + a.mode();
      case OWNER:
        return "owner " + e.user() + "->" + a.user();
      case GROUP:
        return "group " + e.group() + "->" + a.group();
      case LINK:
        return "link " + e.linkTarget() + "->" + a.linkTarget();
      case TYPE:
        return "type " + (e.type() == null ? "regular" : e.type()) + "->" + a.type();
      default:
        return p.name().toLowerCase(Locale.ROOT);
    }
  }
}
