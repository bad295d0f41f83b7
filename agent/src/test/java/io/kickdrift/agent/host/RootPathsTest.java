package io.kickdrift.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootPathsTest {
  @TempDir Path tree;

  @Test
  void anAbsoluteLinkInTheTreeMeansTheTreesFileNotThisMachines() throws IOException {
    Files.createDirectories(tree.resolve("etc"));
    Files.writeString(tree.resolve("etc/shadow"), "the tree's\n");
    Files.createDirectories(tree.resolve("usr/share/x"));
    Files.createSymbolicLink(tree.resolve("usr/share/x/data"), Path.of("/etc/shadow"));

    RootPaths paths = new RootPaths(tree);

    assertThat(paths.follow("/usr/share/x/data")).isEqualTo(tree.resolve("etc/shadow"));
    assertThat(paths.entry("/usr/share/x/data")).isEqualTo(tree.resolve("usr/share/x/data"));
  }

  @Test
  void directoriesThatAreAbsoluteLinksResolveInsideTheTree() throws IOException {
    Files.createDirectories(tree.resolve("run/app"));
    Files.createDirectories(tree.resolve("var"));
    Files.createSymbolicLink(tree.resolve("var/run"), Path.of("/run"));

    assertThat(new RootPaths(tree).entry("/var/run/app/pid"))
        .isEqualTo(tree.resolve("run/app/pid"));
  }

  @Test
  void dotDotStopsAtTheTreesRoot() throws IOException {
    Files.createDirectories(tree.resolve("etc"));
    Files.createSymbolicLink(tree.resolve("etc/up"), Path.of("../../../../etc/passwd"));

    assertThat(new RootPaths(tree).follow("/etc/up")).isEqualTo(tree.resolve("etc/passwd"));
    assertThat(RootPaths.normalise("/a/./b/../../../c//d")).isEqualTo("/c/d");
  }

  @Test
  void aLinkLoopIsAnErrorNotAHang() throws IOException {
    Files.createDirectories(tree.resolve("etc"));
    Files.createSymbolicLink(tree.resolve("etc/a"), Path.of("b"));
    Files.createSymbolicLink(tree.resolve("etc/b"), Path.of("/etc/a"));

    assertThatThrownBy(() -> new RootPaths(tree).follow("/etc/a"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("Too many levels of symbolic links");
  }

  @Test
  void theRunningSystemIsUsedAsItIs() throws IOException {
    assertThat(new RootPaths(Path.of("/")).follow("/etc/hostname"))
        .isEqualTo(Path.of("/etc/hostname"));
  }
}
