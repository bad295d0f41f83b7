package io.kickdrift.agent.report;

import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.ScanReport;
import java.io.PrintStream;

/**
 * Prints findings as {@code rpm -V} does ({@code S.5....T. c /etc/x}, {@code missing c /etc/y}), so
 * scripts written for rpm -Va can switch. Unowned files, which rpm cannot know, print as {@code
 * unowned /etc/z}; {@code ?} marks a check the database gives no value for.
 */
public final class RpmFormat {
  private RpmFormat() {}

  public static void print(ScanReport report, PrintStream out) {
    for (Finding f : report.findings()) {
      out.println(f.rpmLine());
    }
  }
}
