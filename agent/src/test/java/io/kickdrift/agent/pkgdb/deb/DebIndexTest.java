package io.kickdrift.agent.pkgdb.deb;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.testkit.DebBuilder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebIndexTest {
  @TempDir Path work;

  private Path index() {
    return work.resolve("state/cache/deb-index");
  }

  private Path build(String content, int mode) throws Exception {
    return DebBuilder.deb("app", "1.0", "amd64")
        .conffile("/etc/app.conf", content, mode, 0, 0)
        .file("/usr/bin/app", "#!/bin/sh\n")
        .build(work.resolve("build-" + content.length() + "-" + mode), work.resolve("debs"));
  }

  @Test
  void aSecondScanAnswersFromTheIndexWithoutOpeningTheArchive() throws Exception {
    Path deb = build("a=1\n", 0640);
    DebIndex first = DebIndex.at(index());
    Map<String, FileMeta> read = first.meta(deb, Set.of("/etc/app.conf"));
    assertThat(first.save()).isEmpty();

    DebIndex second = DebIndex.at(index());
    Map<String, FileMeta> again = second.meta(deb, Set.of("/etc/app.conf"));

    assertThat(again).isEqualTo(read);
    assertThat(again.get("/etc/app.conf").permissions()).isEqualTo(0640);
    assertThat(first.archiveReads()).isEqualTo(1);
    assertThat(second.archiveReads()).isZero();
  }

  @Test
  void aChangedArchiveOfTheSameNameIsReadAgain() throws Exception {
    Path deb = build("a=1\n", 0640);
    DebIndex first = DebIndex.at(index());
    first.meta(deb, null);
    first.save();
    Path rebuilt = build("a=22\n", 0600);
    assertThat(rebuilt).isEqualTo(deb);

    DebIndex second = DebIndex.at(index());
    FileMeta m = second.meta(deb, null).get("/etc/app.conf");

    assertThat(second.archiveReads()).isEqualTo(1);
    assertThat(m.permissions()).isEqualTo(0600);
    assertThat(m.size()).isEqualTo(5L);
  }

  @Test
  void theSameContentUnderAnotherNameIsNotReadAgain() throws Exception {
    Path deb = build("a=1\n", 0640);
    DebIndex first = DebIndex.at(index());
    first.meta(deb, null);
    first.save();
    Path copy = Files.copy(deb, work.resolve("renamed.deb"));

    DebIndex second = DebIndex.at(index());
    second.meta(copy, null);

    assertThat(second.archiveReads()).isZero();
  }

  @Test
  void aPartialIndexIsCompletedWhenMoreIsAsked() throws Exception {
    Path deb = build("a=1\n", 0640);
    DebIndex index = DebIndex.at(index());
    index.meta(deb, Set.of("/etc/app.conf"));
    index.meta(deb, Set.of("/etc/app.conf"));
    assertThat(index.archiveReads()).isEqualTo(1);

    assertThat(index.meta(deb, null)).containsKeys("/etc/app.conf", "/usr/bin/app");
    assertThat(index.meta(deb, Set.of("/usr/bin/app", "/etc/none")))
        .containsOnlyKeys("/usr/bin/app");
    assertThat(index.archiveReads()).isEqualTo(2);
  }

  @Test
  void aCorruptIndexIsIgnoredWithAWarningAndRebuilt() throws Exception {
    Path deb = build("a=1\n", 0640);
    DebIndex first = DebIndex.at(index());
    first.meta(deb, null);
    first.save();
    byte[] b = Files.readAllBytes(index());
    b[b.length / 2] ^= 0x10;
    Files.write(index(), b);

    DebIndex second = DebIndex.at(index());
    assertThat(second.meta(deb, null).get("/etc/app.conf").permissions()).isEqualTo(0640);
    assertThat(second.archiveReads()).isEqualTo(1);
    assertThat(second.save())
        .singleElement()
        .asString()
        .isEqualTo(
            index() + ": .deb index ignored and rebuilt (checksum mismatch: the file is corrupt)");

    DebIndex third = DebIndex.at(index());
    third.meta(deb, null);
    assertThat(third.archiveReads()).isZero();
    assertThat(third.save()).isEmpty();
  }

  /**
   * The memo trusts (size, mtime, inode) as make and rsync do: an archive rewritten in place with
   * its mtime put back is not hashed again. This is what shows the archive is not even opened.
   */
  @Test
  void anUnchangedStampIsNotHashedAgain() throws Exception {
    Path deb = build("a=1\n", 0640);
    DebIndex first = DebIndex.at(index());
    Map<String, FileMeta> read = first.meta(deb, null);
    first.save();
    FileTime mtime = Files.getLastModifiedTime(deb);
    try (FileChannel ch = FileChannel.open(deb, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[(int) ch.size()]), 0);
    }
    Files.setLastModifiedTime(deb, mtime);

    assertThat(DebIndex.at(index()).meta(deb, null)).isEqualTo(read);
  }
}
