package io.kickdrift.agent.scan;

import io.kickdrift.agent.host.RootPaths;
import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.scan.Finding.Desired;
import io.kickdrift.agent.scan.Finding.Desired.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code scan --against-desired}: each finding of a scan classified by the host's desired state
 * ({@link DesiredManifest}): {@code expected} when the host has what is desired, {@code drifted}
 * when a desired state exists and the host differs from it, {@code undeclared} when there is none.
 * A desired path the scan did not report (a file put back to its package's content, a desired file
 * gone, a path outside the scanned directories) is looked at too, and reported {@code drifted} when
 * the host differs. The manifest file itself is never a finding.
 */
public final class AgainstDesired {
  private AgainstDesired() {}

  /** The report with every finding classified, and the desired paths that differ added. */
  public static ScanReport classify(
      ScanReport report, DesiredManifest desired, Path root, String manifestPath)
      throws IOException {
    Map<String, DesiredManifest.Entry> byPath = new LinkedHashMap<>();
    desired.files().forEach(e -> byPath.put(e.path(), e));
    RootPaths paths = new RootPaths(root);
    Accounts accounts = Accounts.of(root);
    List<Finding> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Finding f : report.findings()) {
      if (f.path().equals(manifestPath)) {
        continue;
      }
      seen.add(f.path());
      DesiredManifest.Entry e = byPath.get(f.path());
      if (e == null) {
        out.add(f.withDesired(new Desired(Verdict.UNDECLARED, List.of(), false)));
      } else {
        List<String> d = differences(e, observe(paths.entry(e.path()), accounts));
        out.add(
            f.withDesired(new Desired(d.isEmpty() ? Verdict.EXPECTED : Verdict.DRIFTED, d, false)));
      }
    }
    for (DesiredManifest.Entry e : desired.files()) {
      if (seen.contains(e.path())) {
        continue;
      }
      Observed o = observe(paths.entry(e.path()), accounts);
      List<String> d = differences(e, o);
      if (!d.isEmpty()) {
        out.add(unreported(e, o, d));
      }
    }
    out.sort(Comparator.comparing(Finding::path));
    return new ScanReport(
        report.schema(),
        report.host(),
        report.root(),
        report.backend(),
        report.scope(),
        report.metadataChecked(),
        report.stats(),
        out,
        report.leftovers(),
        report.warnings());
  }

  /** What is at a path of the host: {@code null} type when nothing is. */
  record Observed(
      String type, String mode, String owner, String group, String sha256, String link) {
    static final Observed NOTHING = new Observed(null, null, null, null, null, null);
  }

  static Observed observe(Path p, Accounts accounts) throws IOException {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Observed.NOTHING;
    }
    int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    String owner = accounts.user(uid);
    String group = accounts.group(gid);
    if (a.isSymbolicLink()) {
      return new Observed("link", null, owner, group, null, Files.readSymbolicLink(p).toString());
    }
    if (!a.isRegularFile()) {
      return new Observed(a.isDirectory() ? "directory" : "other", null, owner, group, null, null);
    }
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    Digest d = Hasher.hash(p, DigestAlgorithm.SHA256, false).digest();
    return new Observed("file", Verdicts.octal(mode), owner, group, d.hex(), null);
  }

  /** How the host differs from the desired entry, one phrase each; empty when it does not. */
  static List<String> differences(DesiredManifest.Entry e, Observed o) {
    List<String> d = new ArrayList<>();
    switch (e.kind()) {
      case "absent" -> {
        if (o.type() != null) {
          d.add("present, desired absent");
        }
      }
      case "link" -> {
        if (o.type() == null) {
          d.add("missing, desired a link to " + e.target());
        } else if (!o.type().equals("link")) {
          d.add("a " + o.type() + ", desired a link");
        } else if (!o.link().equals(e.target())) {
          d.add("link to " + o.link() + ", desired " + e.target());
        }
      }
      default -> {
        if (o.type() == null) {
          d.add("missing");
        } else if (!o.type().equals("file")) {
          d.add("a " + o.type() + ", desired a file");
        } else {
          if (e.sha256() != null && !e.sha256().equals(o.sha256())) {
            d.add("content differs");
          }
          if (Integer.parseInt(e.mode(), 8) != Integer.parseInt(o.mode(), 8)) {
            d.add("mode " + o.mode() + ", desired " + normalMode(e.mode()));
          }
          if (!e.owner().equals(o.owner())) {
            d.add("owner " + o.owner() + ", desired " + e.owner());
          }
          if (!e.group().equals(o.group())) {
            d.add("group " + o.group() + ", desired " + e.group());
          }
        }
      }
    }
    return d;
  }

  private static String normalMode(String m) {
    return Verdicts.octal(Integer.parseInt(m, 8));
  }

  /** A desired path that differs though the scan did not report it. */
  private static Finding unreported(DesiredManifest.Entry e, Observed o, List<String> d) {
    Set<Problem> problems = EnumSet.noneOf(Problem.class);
    Status status = o.type() == null ? Status.MISSING : Status.MODIFIED;
    if (o.type() != null) {
      for (String s : d) {
        if (s.equals("content differs")) {
          problems.add(Problem.CONTENT);
        } else if (s.startsWith("mode ")) {
          problems.add(Problem.MODE);
        } else if (s.startsWith("owner ")) {
          problems.add(Problem.OWNER);
        } else if (s.startsWith("group ")) {
          problems.add(Problem.GROUP);
        } else if (s.startsWith("link to ")) {
          problems.add(Problem.LINK);
        } else if (s.startsWith("a ")) {
          problems.add(Problem.TYPE);
        }
      }
    }
    Finding.Observed expected =
        new Finding.Observed(
            e.kind().equals("absent") ? null : e.kind().equals("link") ? "symlink" : "regular",
            e.mode() == null ? null : normalMode(e.mode()),
            e.owner(),
            e.group(),
            null,
            null,
            e.target(),
            e.sha256() == null ? null : Digest.of(DigestAlgorithm.SHA256, e.sha256()));
    Finding.Observed actual =
        o.type() == null
            ? null
            : new Finding.Observed(
                switch (o.type()) {
                  case "file" -> "regular";
                  case "link" -> "symlink";
                  default -> o.type();
                },
                o.mode(),
                o.owner(),
                o.group(),
                null,
                null,
                o.link(),
                o.sha256() == null ? null : Digest.of(DigestAlgorithm.SHA256, o.sha256()));
    return new Finding(
            e.path(),
            status,
            problems,
            Set.of(),
            e.pkg(),
            null,
            false,
            null,
            expected,
            actual,
            e.secret(),
            "desired state: " + String.join(", ", d))
        .withDesired(new Desired(Verdict.DRIFTED, d, true));
  }

  /** Whether any drift finding (no maintainer script made it) is drifted or undeclared. */
  public static boolean unexpected(ScanReport classified) {
    return classified.drift().stream()
        .anyMatch(f -> f.desired() == null || f.desired().unexpected());
  }

  /** How many findings have each verdict. */
  public static Map<Verdict, Long> counts(ScanReport classified) {
    Map<Verdict, Long> n = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      n.put(v, 0L);
    }
    for (Finding f : classified.drift()) {
      if (f.desired() != null) {
        n.merge(f.desired().verdict(), 1L, Long::sum);
      }
    }
    return n;
  }
}
