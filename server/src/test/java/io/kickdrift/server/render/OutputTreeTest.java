package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTreeTest {
  private static Map<String, byte[]> files(String... pathsAndContents) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  /** The generations beside OUT; each has its file count beside it, and nothing else is there. */
  private static long generations(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> list = Files.list(dir.resolve(".out.generations"))) {
      all = list.toList();
    }
    List<Path> dirs = all.stream().filter(Files::isDirectory).toList();
    assertThat(all)
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(
                    dirs.stream(),
                    dirs.stream().map(d -> d.resolveSibling(d.getFileName() + ".files")))
                .toList());
    return dirs.size();
  }

  @Test
  void firstRenderMakesOutALinkToACompleteGeneration(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    OutputTree.Result r = OutputTree.replace(out, files("a/b.txt", "one", "c.txt", "two"));
    assertThat(out).isSymbolicLink();
    assertThat(out.resolve("a/b.txt")).hasContent("one");
    assertThat(out.resolve("c.txt")).hasContent("two");
    assertThat(r.written()).isEqualTo(2);
    assertThat(r.unchanged()).isZero();
  }

  @Test
  void unchangedFilesKeepTheirMtimeChangedOnesAreNewAndDroppedOnesGo(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    OutputTree.replace(out, files("same.txt", "same", "changed.txt", "old", "dropped.txt", "x"));
    FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(out.resolve("same.txt"), past);
    Files.setLastModifiedTime(out.resolve("changed.txt"), past);

    OutputTree.Result r = OutputTree.replace(out, files("same.txt", "same", "changed.txt", "new"));

    assertThat(Files.getLastModifiedTime(out.resolve("same.txt"))).isEqualTo(past);
    assertThat(Files.getLastModifiedTime(out.resolve("changed.txt"))).isNotEqualTo(past);
    assertThat(out.resolve("changed.txt")).hasContent("new");
    assertThat(out.resolve("dropped.txt")).doesNotExist();
    assertThat(r.unchanged()).isEqualTo(1);
    assertThat(r.written()).isEqualTo(1);
    assertThat(r.removed()).isEqualTo(1);
  }

  @Test
  void aPreviousGenerationWithoutItsFileCountIsCountedByWalkingIt(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    OutputTree.replace(out, files("a.txt", "a", "sub/b.txt", "b", "sub/c.txt", "c"));
    Path current = out.resolveSibling(Files.readSymbolicLink(out));
    Path count = current.resolveSibling(current.getFileName() + ".files");
    assertThat(count).hasContent("3\n");
    Files.delete(count); // as a generation of an older kickdrift

    OutputTree.Result r = OutputTree.replace(out, files("a.txt", "changed"));

    assertThat(r.removed()).isEqualTo(2);
    assertThat(r.written()).isEqualTo(1);
  }

  @Test
  void aFailedRenderLeavesThePreviousTreeAndNoGenerationBehind(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    OutputTree.replace(out, files("keep.txt", "previous"));
    Path before = Files.readSymbolicLink(out);

    assertThatThrownBy(() -> OutputTree.replace(out, files("fine.txt", "x", "../escape.txt", "y")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("../escape.txt");

    assertThat(Files.readSymbolicLink(out)).isEqualTo(before);
    assertThat(out.resolve("keep.txt")).hasContent("previous");
    assertThat(out.resolve("fine.txt")).doesNotExist();
    assertThat(dir.resolve("escape.txt")).doesNotExist();
    assertThat(generations(dir)).isEqualTo(1);
  }

  @Test
  void keepsTheCurrentAndThePreviousGenerationOnly(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    for (int i = 0; i < 5; i++) {
      OutputTree.replace(out, files("n.txt", Integer.toString(i)));
    }
    assertThat(generations(dir)).isEqualTo(2);
    assertThat(out.resolve("n.txt")).hasContent("4");
  }

  @Test
  void refusesADirectoryItDidNotCreate(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("precious"), "mine");
    assertThatThrownBy(() -> OutputTree.replace(out, files("x", "y")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is a directory kickdrift did not create");
    assertThat(out.resolve("precious")).hasContent("mine");
  }

  @Test
  void takesOverAnEmptyDirectory(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    OutputTree.replace(out, files("x", "y"));
    assertThat(out).isSymbolicLink();
    assertThat(out.resolve("x")).hasContent("y");
  }

  @Test
  void aReaderHoldingTheOldTreeKeepsReadingIt(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    OutputTree.replace(out, files("menu", "old menu"));
    Path oldGeneration = out.toRealPath();
    OutputTree.replace(out, files("menu", "new menu"));
    assertThat(oldGeneration.resolve("menu")).hasContent("old menu");
    assertThat(out.resolve("menu")).hasContent("new menu");
  }

  @Test
  void newFilesWithTheSameBytesShareOneInodeButKeepTheirOwnHistory(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    OutputTree.replace(out, files("a/x", "same", "b/y", "same", "c/z", "other"));
    assertThat(Files.isSameFile(out.resolve("a/x"), out.resolve("b/y"))).isTrue();
    assertThat(Files.isSameFile(out.resolve("a/x"), out.resolve("c/z"))).isFalse();

    FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(out.resolve("a/x"), past); // and so b/y: one inode
    OutputTree.Result r =
        OutputTree.replace(out, files("a/x", "same", "b/y", "changed", "c/z", "same"));
    assertThat(Files.getLastModifiedTime(out.resolve("a/x"))).isEqualTo(past);
    assertThat(out.resolve("b/y")).hasContent("changed");
    assertThat(out.resolve("c/z")).hasContent("same");
    assertThat(Files.getLastModifiedTime(out.resolve("c/z"))).isNotEqualTo(past);
    assertThat(r.unchanged()).isEqualTo(1);
    assertThat(r.written()).isEqualTo(2);
  }
}
