package io.kickdrift.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served-root rule, on a real file system with links in and out of the root. */
class ServedRootTest {
  @TempDir Path dir;
  private Path root;
  private ServedRoot served;

  @BeforeEach
  void layOut() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(Files.createDirectories(root.resolve("images")).resolve("vmlinuz"), "k");
    Files.writeString(dir.resolve("passwd"), "outside");
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(dir.resolve("state/admin.token"), "secret");
    Files.createSymbolicLink(root.resolve("passwd-link"), dir.resolve("passwd"));
    Files.createSymbolicLink(root.resolve("statelink"), dir.resolve("state"));
    Files.createSymbolicLink(root.resolve("inside-link"), root.resolve("images/vmlinuz"));
    Files.createSymbolicLink(root.resolve("tree"), root.resolve("images"));
    Files.createSymbolicLink(root.resolve("relative-out"), Path.of("../passwd"));
    Files.createSymbolicLink(root.resolve("loop"), root.resolve("loop"));
    served = new ServedRoot(root);
  }

  @Test
  void filesAndLinksInsideTheRootAreServed() throws Exception {
    Path kernel = root.resolve("images/vmlinuz").toRealPath();
    assertThat(served.file("images/vmlinuz")).contains(kernel);
    assertThat(served.file("/images/vmlinuz")).contains(kernel);
    assertThat(served.file("inside-link")).contains(kernel);
    assertThat(served.file("tree/vmlinuz")).contains(kernel);
    assertThat(served.file("images/./vmlinuz")).contains(kernel);
  }

  @Test
  void linksLeavingTheRootAreRefusedWhereverTheySit() {
    for (String path :
        new String[] {"passwd-link", "statelink/admin.token", "relative-out", "/statelink/x"}) {
      assertThatThrownBy(() -> served.file(path))
          .as(path)
          .isInstanceOf(PathRefusedException.class)
          .hasMessage("outside the served root");
    }
  }

  @Test
  void traversalIsRefusedBeforeTheFileSystemIsAsked() {
    for (String path : new String[] {"..", "../passwd", "images/../../passwd", "a/..", "//etc"}) {
      assertThatThrownBy(() -> served.file(path)).as(path).isInstanceOf(PathRefusedException.class);
    }
    assertThatThrownBy(() -> served.file("images\\vmlinuz"))
        .hasMessage("backslash or NUL in the path");
    assertThatThrownBy(() -> served.file("images/vmlinuz\0.txt"))
        .hasMessage("backslash or NUL in the path");
  }

  @Test
  void whatCannotBeServedIsNotFound() throws Exception {
    assertThat(served.file("missing")).isEmpty();
    assertThat(served.file("images")).isEmpty(); // a directory
    assertThat(served.file("/")).isEmpty();
    assertThat(served.file("images/vmlinuz/x")).isEmpty(); // ENOTDIR
    assertThat(served.file("loop")).isEmpty(); // ELOOP
    assertThat(served.file("a".repeat(65_000))).isEmpty();
    assertThat(served.file("a".repeat(256))).isEmpty();
    assertThat(served.file("d/".repeat(2100) + "x")).isEmpty();
  }

  @Test
  void aRootThatIsItselfALinkIsResolvedPerRequest() throws Exception {
    Path other = Files.createDirectories(dir.resolve("gen2"));
    Files.writeString(other.resolve("menu"), "two");
    Path current = dir.resolve("current");
    Files.createSymbolicLink(current, root);
    ServedRoot linked = new ServedRoot(current);
    assertThat(linked.file("menu")).isEmpty();
    Files.delete(current);
    Files.createSymbolicLink(current, other);
    assertThat(linked.file("menu")).isEqualTo(Optional.of(other.resolve("menu").toRealPath()));
  }
}
