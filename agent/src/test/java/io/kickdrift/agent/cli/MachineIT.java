package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The machine the build runs on: every package file, against dpkg --verify. */
class MachineIT {
  @Test
  void allFilesOfThisMachineListTheSamePathsAndMarkersAsDpkgVerify() throws Exception {
    Cmd.require("dpkg", "dpkg");
    Cmd.Result dpkg = Cmd.run(List.of("dpkg", "--verify"));
    // dpkg --verify checks content and existence only; so do we without .deb metadata.
    Cmd.Result ours = DpkgRootIT.verifyScan(List.of());
    assertThat(ours.exit()).as(ours.err()).isIn(0, 1);
    assertThat(ours.exit()).isEqualTo(dpkg.out().isEmpty() ? 0 : 1);
    Set<String> expected = DpkgRootIT.verifyLines(dpkg.lines());
    Set<String> actual = DpkgRootIT.verifyLines(ours.lines());
    // Where we see more than dpkg, by design (see DpkgRootIT): ucf-managed files, and the
    // content of diverted files.
    actual.removeIf(
        l -> {
          String path = l.substring(l.indexOf(" /") + 1);
          return !expected.contains(l) && (ucfManaged(path) || divertedTo(path));
        });
    assertThat(actual).isEqualTo(expected);
  }

  private static boolean divertedTo(String path) {
    try {
      List<String> lines =
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/var/lib/dpkg/diversions"));
      for (int i = 1; i < lines.size(); i += 3) {
        if (lines.get(i).equals(path)) {
          return true;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static boolean ucfManaged(String path) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/var/lib/ucf/hashfile"))
          .contains("  " + path + "\n");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
