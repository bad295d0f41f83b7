package io.kickdrift.server.lint;

/**
 * One thing wrong with a kickstart, at a 1-based line of the file named {@code source}; prints as
 * {@code ks.cfg:12: error: unknown command 'rotpw'; did you mean rootpw?}.
 */
public record LintProblem(String source, int line, Severity severity, String message) {
  /** An error stops Anaconda (or leaves a machine open); a warning is worth a look. */
  public enum Severity {
    ERROR,
    WARNING;

    String label() {
      return this == ERROR ? "error" : "warning";
    }
  }

  @Override
  public String toString() {
    return source + ":" + line + ": " + severity.label() + ": " + message;
  }
}
