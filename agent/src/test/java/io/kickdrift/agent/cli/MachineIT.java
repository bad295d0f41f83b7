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
    Cmd.Result ours =
        Cmd.agent(
            "scan",
            "--all",
            "--rpm-format",
            "--no-unowned",
            "--no-deb-metadata",
            "--no-default-ignores",
            "--no-cache");
    assertThat(ours.exit()).as(ours.err()).isIn(0, 1);
    assertThat(ours.exit()).isEqualTo(dpkg.out().isEmpty() ? 0 : 1);
    Set<String> expected = DpkgRootIT.verifyLines(dpkg.lines());
    Set<String> actual = DpkgRootIT.verifyLines(ours.lines());
    // On this machine ucf-managed files may differ too: dpkg cannot see those (see DpkgRootIT).
    actual.removeIf(l -> !expected.contains(l) && ucfManaged(l.substring(l.indexOf(" /") + 1)));
    assertThat(actual).isEqualTo(expected);
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
