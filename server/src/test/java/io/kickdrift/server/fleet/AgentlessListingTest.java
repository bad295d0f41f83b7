package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.server.fleet.AgentlessListing.Digested;
import io.kickdrift.server.fleet.AgentlessListing.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentlessListingTest {
  static byte[] nul(String... fields) {
    return (String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesRecords() throws Exception {
    byte[] out =
        concat(
            nul("f", "f", "644", "0", "4", "12", "1700000000.9999999990", "/r/etc/a b", ""),
            nul("l", "N", "777", "1", "1", "7", "1700000000.0000000000", "/r/etc/l", "x\ny"),
            nul("f", "f", "4755", "0", "0", "0", "-1.5", "/r/etc/new\nline", ""),
            nul("X", "X", "0", "0", "0", "0", "0", "/r/nothere", ""));
    List<Entry> e = AgentlessListing.entries("find", out);
    assertThat(e)
        .containsExactly(
            new Entry('f', 'f', 0644, 0, 4, 12, 1700000000L, "/r/etc/a b", null),
            new Entry('l', 'N', 0777, 1, 1, 7, 1700000000L, "/r/etc/l", "x\ny"),
            new Entry('f', 'f', 04755, 0, 0, 0, -2, "/r/etc/new\nline", null),
            new Entry('X', 'X', 0, 0, 0, 0, 0, "/r/nothere", null));
    assertThat(e.get(1).type()).isEqualTo(FileType.SYMLINK);
    assertThat(e.get(3).exists()).isFalse();
    assertThat(e.get(3).type()).isNull();
  }

  @Test
  void readsWhatFindPrints(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("with\nnewline"), "hello");
    Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_500));
    Files.createSymbolicLink(dir.resolve("link"), Path.of("with\nnewline"));
    RemoteShell.Output o =
        new LocalShell()
            .run(
                "find "
                    + RemoteShell.quote(dir.toString())
                    + " ! -type d -printf '"
                    + AgentlessListing.FORMAT
                    + "'");
    assertThat(o.exit()).as(o.stderr()).isZero();
    List<Entry> e = AgentlessListing.entries("find", o.stdout());
    assertThat(e)
        .extracting(Entry::path)
        .containsExactlyInAnyOrder(dir + "/with\nnewline", dir + "/link");
    Entry file = e.stream().filter(x -> x.kind() == 'f').findFirst().orElseThrow();
    assertThat(file.size()).isEqualTo(5);
    assertThat(file.mtime()).isEqualTo(1000);
    Entry link = e.stream().filter(x -> x.kind() == 'l').findFirst().orElseThrow();
    assertThat(link.linkTarget()).isEqualTo("with\nnewline");
    assertThat(link.followed()).isEqualTo('f');
  }

  /** find output that is not a listing, and what the message says of record 1. */
  static Stream<Arguments> brokenRecords() {
    return Stream.of(
        Arguments.of(nul("f", "f", "644"), "truncated (3 of 9 fields)"),
        Arguments.of("f\0f".getBytes(), "truncated (no final NUL)"),
        Arguments.of(fileRecordWith(2, "648"), "mode is not a number in range: '648'"),
        Arguments.of(fileRecordWith(0, "q"), "type is not one of fdlpscbDX: 'q'"),
        Arguments.of(fileRecordWith(6, "1e9"), "mtime is not a number of seconds: '1e9'"),
        Arguments.of(fileRecordWith(3, "-1"), "uid is not a number in range: '-1'"),
        Arguments.of(fileRecordWith(7, "a"), "path is not absolute: 'a'"));
  }

  /** The record of a file /a (type, followed type, mode, uid, gid, size, mtime, path, target). */
  private static byte[] fileRecordWith(int field, String value) {
    String[] fields = {"f", "f", "644", "0", "0", "1", "1", "/a", ""};
    fields[field] = value;
    return nul(fields);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("brokenRecords")
  void rejectsBrokenRecords(byte[] out, String problem) {
    assertThatThrownBy(() -> AgentlessListing.entries("find", out))
        .isInstanceOf(AgentlessParseException.class)
        .hasMessage("find: record 1: " + problem);
  }

  @Test
  void parsesDigests() throws Exception {
    String md5 = "d41d8cd98f00b204e9800998ecf8427e";
    List<Digested> d =
        AgentlessListing.digests("md5sum", concat(nul("/a", md5, "1"), nul("/b", "", "")), 32);
    assertThat(d).containsExactly(new Digested("/a", md5, true), new Digested("/b", null, false));
    assertThatThrownBy(() -> AgentlessListing.digests("md5sum", nul("/a", "xyz", "0"), 32))
        .isInstanceOf(AgentlessParseException.class)
        .hasMessage("md5sum: record 1: not a digest of 32 hex digits: 'xyz'");
    assertThatThrownBy(() -> AgentlessListing.digests("md5sum", nul("/a", md5, "2"), 32))
        .hasMessage("md5sum: record 1: private-key flag is not 0 or 1: '2'");
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
