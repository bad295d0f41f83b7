package io.kickdrift.agent.scan;

/**
 * Findings of files no package owns, for tests: no package, nothing expected, nothing unchecked.
 */
public final class UnownedFinding {
  private UnownedFinding() {}

  /**
   * What the scanner reports of {@code path}: seen as {@code actual}, a secret by {@code secret}.
   */
  public static Finding of(String path, Finding.Observed actual, String secret) {
    return new Finding(
        path,
        Status.UNOWNED,
        java.util.Set.of(),
        java.util.Set.of(),
        null,
        null,
        false,
        null,
        null,
        actual,
        secret,
        null);
  }
}
