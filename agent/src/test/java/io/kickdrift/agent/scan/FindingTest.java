package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FindingTest {
  private static Finding finding(
      String path, Status status, Set<Problem> problems, Set<Check> unchecked, Character attr) {
    return new Finding(
        path, status, problems, unchecked, "pkg", "1", attr != null, attr, null, null, null, null);
  }

  @Test
  void modifiedWithEveryCheckKnownShowsFailedLettersAndDots() {
    Finding f =
        finding(
            "/etc/x",
            Status.MODIFIED,
            EnumSet.of(Problem.SIZE, Problem.CONTENT, Problem.MTIME),
            Set.of(),
            'c');

    assertThat(f.rpmLine()).isEqualTo("S.5....T.  c /etc/x");
  }

  @Test
  void typeChangeShowsInTheModeColumn() {
    Finding f = finding("/etc/t", Status.MODIFIED, EnumSet.of(Problem.TYPE), Set.of(), 'c');

    assertThat(f.rpmLine()).isEqualTo(".M.......  c /etc/t");
  }

  @Test
  void missing() {
    assertThat(finding("/etc/y", Status.MISSING, Set.of(), Set.of(), 'c').rpmLine())
        .isEqualTo("missing   c /etc/y");
  }

  @Test
  void dpkgFileWithNothingButADigestMarksTheRestUnknown() {
    EnumSet<Check> unchecked = EnumSet.complementOf(EnumSet.of(Check.DIGEST));
    Finding f =
        finding("/usr/bin/z", Status.MODIFIED, EnumSet.of(Problem.CONTENT), unchecked, null);

    assertThat(f.rpmLine()).isEqualTo("??5??????    /usr/bin/z");
  }

  @Test
  void unreadableMarksEveryColumnUnknown() {
    Finding f = finding("/etc/u", Status.UNREADABLE, Set.of(), EnumSet.allOf(Check.class), 'c');

    assertThat(f.rpmLine()).isEqualTo("?????????  c /etc/u");
  }

  @Test
  void unowned() {
    Finding f = UnownedFinding.of("/etc/z", null, null);

    assertThat(f.rpmLine()).isEqualTo("unowned     /etc/z");
  }

  @Test
  void problemsAndUncheckedAreCopiedInEnumOrder() {
    Set<Problem> p =
        new java.util.LinkedHashSet<>(java.util.List.of(Problem.MTIME, Problem.CONTENT));
    Finding f = finding("/etc/x", Status.MODIFIED, p, Set.of(), null);
    p.clear();

    assertThat(f.problems()).containsExactly(Problem.CONTENT, Problem.MTIME);
  }
}
