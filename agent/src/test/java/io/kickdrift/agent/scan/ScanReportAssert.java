package io.kickdrift.agent.scan;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions that read like the requirement: {@code assertThat(report).hasModified("/etc/issue",
 * Problem.CONTENT).hasNoFindingsUnder("/usr")}.
 */
public final class ScanReportAssert extends AbstractAssert<ScanReportAssert, ScanReport> {
  private ScanReportAssert(ScanReport actual) {
    super(actual, ScanReportAssert.class);
  }

  public static ScanReportAssert assertThat(ScanReport report) {
    return new ScanReportAssert(report);
  }

  /** The one finding for {@code path}; fails when there is none or more than one. */
  public Finding finding(String path) {
    isNotNull();
    List<Finding> f =
        actual.findings().stream().filter(x -> x.path().equals(path)).collect(Collectors.toList());
    if (f.size() != 1) {
      failWithMessage("expected one finding for %s, got %s in%n%s", path, f.size(), describe());
    }
    return f.get(0);
  }

  /** A MODIFIED finding for {@code path} with exactly these problems. */
  public ScanReportAssert hasModified(String path, Problem... problems) {
    Finding f = hasStatus(path, Status.MODIFIED);
    EnumSet<Problem> expected = EnumSet.noneOf(Problem.class);
    expected.addAll(Arrays.asList(problems));
    if (!f.problems().equals(expected)) {
      failWithMessage(
          "expected %s to differ by %s, but it differs by %s", path, expected, f.problems());
    }
    return this;
  }

  public ScanReportAssert hasMissing(String path) {
    hasStatus(path, Status.MISSING);
    return this;
  }

  public ScanReportAssert hasUnowned(String path) {
    hasStatus(path, Status.UNOWNED);
    return this;
  }

  public ScanReportAssert hasUnreadable(String path) {
    hasStatus(path, Status.UNREADABLE);
    return this;
  }

  public ScanReportAssert hasNoFindingFor(String path) {
    isNotNull();
    if (actual.findings().stream().anyMatch(f -> f.path().equals(path))) {
      failWithMessage("expected no finding for %s in%n%s", path, describe());
    }
    return this;
  }

  /** No finding at {@code dir} or beneath it. */
  public ScanReportAssert hasNoFindingsUnder(String dir) {
    isNotNull();
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    if (actual.findings().stream()
        .anyMatch(f -> f.path().equals(dir) || f.path().startsWith(prefix))) {
      failWithMessage("expected no findings under %s in%n%s", dir, describe());
    }
    return this;
  }

  public ScanReportAssert hasNoFindings() {
    isNotNull();
    if (!actual.findings().isEmpty()) {
      failWithMessage("expected no findings, got%n%s", describe());
    }
    return this;
  }

  public ScanReportAssert hasNoWarnings() {
    isNotNull();
    if (!actual.warnings().isEmpty()) {
      failWithMessage("expected no warnings, got %s", actual.warnings());
    }
    return this;
  }

  private Finding hasStatus(String path, Status status) {
    Finding f = finding(path);
    if (f.status() != status) {
      failWithMessage("expected %s to be %s, but it is %s: %s", path, status, f.status(), f);
    }
    return f;
  }

  private String describe() {
    return actual.findings().stream()
        .map(f -> "  " + f.status() + " " + f.path() + " " + f.problems())
        .collect(Collectors.joining("\n"));
  }
}
