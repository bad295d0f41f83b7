package io.kickdrift.agent.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One drift finding: a packaged file that differs, is missing or unreadable, or a file no package
 * owns. Serialised as part of {@link ScanReport}; see docs/scan-report.md.
 *
 * @param path absolute path on the scanned host
 * @param status what kind of finding
 * @param problems how a modified file differs
 * @param unchecked rpm -V columns that could not be checked (shown as {@code ?})
 * @param pkg owning package, {@code null} for unowned files
 * @param config whether the package marks it as a config file
 * @param attr rpm -V attribute letter: c (config), d (doc), g (ghost), l (license), r (readme)
 * @param expected what the package recorded
 * @param actual what was found
 * @param secret the secret rule that matched, {@code null} if none; content never leaves the
 *     scanner, only digests
 * @param note a human explanation where one helps (diverted to, unreadable because …)
 * @param inlineSecrets secret values found inside the file's content: rule, line and key, never the
 *     value; empty when none (or not looked for)
 * @param origin who made this difference when it was not a person (a maintainer script, a
 *     generator); {@code null} for local drift
 * @param desired what the host's desired state says of it ({@code scan --against-desired}); {@code
 *     null} when the scan was not compared with one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(
    String path,
    Status status,
    Set<Problem> problems,
    Set<Check> unchecked,
    String pkg,
    String version,
    boolean config,
    Character attr,
    Observed expected,
    Observed actual,
    String secret,
    String note,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SecretMatch> inlineSecrets,
    Origin origin,
    Desired desired) {

  /** A finding with no desired-state verdict. */
  public Finding(
      String path,
      Status status,
      Set<Problem> problems,
      Set<Check> unchecked,
      String pkg,
      String version,
      boolean config,
      Character attr,
      Observed expected,
      Observed actual,
      String secret,
      String note,
      List<SecretMatch> inlineSecrets,
      Origin origin) {
    this(
        path,
        status,
        problems,
        unchecked,
        pkg,
        version,
        config,
        attr,
        expected,
        actual,
        secret,
        note,
        inlineSecrets,
        origin,
        null);
  }

  /** A finding with no inline secrets and no origin (local drift). */
  public Finding(
      String path,
      Status status,
      Set<Problem> problems,
      Set<Check> unchecked,
      String pkg,
      String version,
      boolean config,
      Character attr,
      Observed expected,
      Observed actual,
      String secret,
      String note) {
    this(
        path, status, problems, unchecked, pkg, version, config, attr, expected, actual, secret,
        note, List.of(), null);
  }

  /**
   * Who made a difference that is not a person's edit, and why kickdrift believes so.
   *
   * @param reason one sentence a reader can check, e.g. the maintainer script and its line
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Origin(Kind kind, String reason) {
    /** The kinds of non-local origin. */
    public enum Kind {
      /** Created or rewritten by a package's maintainer script or a generator it runs. */
      GENERATED,
      /** Ownership or mode set by a package's own maintainer script. */
      MAINTAINER
    }
  }

  public Finding {
    // Enum order keeps the JSON stable.
    problems = Collections.unmodifiableSet(copy(Problem.class, problems));
    unchecked = Collections.unmodifiableSet(copy(Check.class, unchecked));
    inlineSecrets = inlineSecrets == null ? List.of() : List.copyOf(inlineSecrets);
  }

  /** This finding with the secret values found inside its content. */
  public Finding withInlineSecrets(List<SecretMatch> found) {
    return new Finding(
        path, status, problems, unchecked, pkg, version, config, attr, expected, actual, secret,
        note, found, origin, desired);
  }

  /** This finding marked secret as a whole by {@code rule}. */
  public Finding withSecret(String rule) {
    return new Finding(
        path,
        status,
        problems,
        unchecked,
        pkg,
        version,
        config,
        attr,
        expected,
        actual,
        rule,
        note,
        inlineSecrets,
        origin,
        desired);
  }

  /** This finding with {@code text} as its note. */
  public Finding withNote(String text) {
    return new Finding(
        path,
        status,
        problems,
        unchecked,
        pkg,
        version,
        config,
        attr,
        expected,
        actual,
        secret,
        text,
        inlineSecrets,
        origin,
        desired);
  }

  /** This finding with its non-local origin. */
  public Finding withOrigin(Origin o) {
    return new Finding(
        path,
        status,
        problems,
        unchecked,
        pkg,
        version,
        config,
        attr,
        expected,
        actual,
        secret,
        note,
        inlineSecrets,
        o,
        desired);
  }

  /** This finding with what the host's desired state says of it. */
  public Finding withDesired(Desired d) {
    return new Finding(
        path,
        status,
        problems,
        unchecked,
        pkg,
        version,
        config,
        attr,
        expected,
        actual,
        secret,
        note,
        inlineSecrets,
        origin,
        d);
  }

  /**
   * What the host's desired state (docs/desired-state.md) says of a finding.
   *
   * @param verdict {@code expected}: the host has what is desired; {@code drifted}: a desired state
   *     exists and the host differs from it; {@code undeclared}: no desired state for the path
   * @param differences how a drifted path differs, e.g. {@code mode 0600, desired 0644}
   * @param outsideScan whether only the desired-state check found it (the scan alone reports
   *     nothing there: a file put back to its package's content, a desired file gone, a path
   *     outside the scanned directories); such findings are not stored in the config repository
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Desired(
      Verdict verdict,
      List<String> differences,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean outsideScan) {
    public Desired {
      differences = differences == null ? List.of() : List.copyOf(differences);
    }

    /** The three answers (written in lower case, as every enum of the report). */
    public enum Verdict {
      EXPECTED,
      DRIFTED,
      UNDECLARED
    }

    /** Whether the monitoring check should speak up: drifted or undeclared. */
    public boolean unexpected() {
      return verdict != Verdict.EXPECTED;
    }
  }

  /**
   * One side of a comparison; fields that were not recorded or not observed are {@code null}.
   *
   * @param mode permission bits in octal, e.g. {@code "0644"}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Observed(
      String type,
      String mode,
      String user,
      String group,
      Long size,
      Long mtime,
      String linkTarget,
      Digest digest) {}

  private static <E extends Enum<E>> EnumSet<E> copy(Class<E> type, Set<E> from) {
    EnumSet<E> s = EnumSet.noneOf(type);
    s.addAll(from);
    return s;
  }

  /** The rpm -V line for this finding. */
  public String rpmLine() {
    char a = attr == null ? ' ' : attr;
    switch (status) {
      case MISSING:
        return "missing   " + a + " " + path;
      case UNOWNED:
        return "unowned   " + a + " " + path;
      default:
        StringBuilder b = new StringBuilder(9);
        for (Check c : Check.values()) {
          if (unchecked.contains(c)) {
            b.append('?');
          } else if (failed(c)) {
            b.append(c.letter());
          } else {
            b.append('.');
          }
        }
        return b + "  " + a + " " + path;
    }
  }

  private boolean failed(Check c) {
    for (Problem p : problems) {
      if (p.check() == c) {
        return true;
      }
    }
    return false;
  }
}
