package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.server.fleet.AgentlessListing.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
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
  void parsesSums() throws Exception {
    String md5 = "d41d8cd98f00b204e9800998ecf8427e";
    byte[] out =
        concat(
            (md5 + "  /a b\n\\" + md5 + "  /new\\nline \\\\ \\r\n" + md5 + " */bin\n\1\n")
                .getBytes(StandardCharsets.UTF_8),
            nul("/a b", "/new\nline \\ \r"));
    AgentlessListing.Sums s = AgentlessListing.sums("md5sum", out, 32);
    assertThat(s.hex())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("/a b", md5, "/new\nline \\ \r", md5, "/bin", md5));
    assertThat(s.keyed()).containsExactlyInAnyOrder("/a b", "/new\nline \\ \r");
    assertThat(AgentlessListing.sums("md5sum", "\1\n".getBytes(StandardCharsets.UTF_8), 32))
        .isEqualTo(new AgentlessListing.Sums(Map.of(), java.util.Set.of()));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("brokenSums")
  void rejectsBrokenSums(String out, String problem) {
    assertThatThrownBy(
            () -> AgentlessListing.sums("md5sum", out.getBytes(StandardCharsets.UTF_8), 32))
        .isInstanceOf(AgentlessParseException.class)
        .hasMessage("md5sum: " + problem);
  }

  static Stream<Arguments> brokenSums() {
    String md5 = "d41d8cd98f00b204e9800998ecf8427e";
    return Stream.of(
        Arguments.of(md5 + "  /a\n", "output: truncated (no line of byte 1)"),
        Arguments.of("xyz  /a\n\1\n", "line 1: not 'DIGEST  NAME': 'xyz  /a'"),
        Arguments.of(
            md5 + "  /a\n" + md5.replace('d', 'z') + "  /b\n\1\n",
            "line 2: not a digest of 32 hex digits: '" + md5.replace('d', 'z') + "'"),
        Arguments.of(md5 + "-/a\n\1\n", "line 1: not 'DIGEST  NAME': '" + md5 + "-/a'"),
        Arguments.of(
            "\\" + md5 + "  /a\\t\n\1\n",
            "line 1: a backslash not followed by \\, n or r in the name"),
        Arguments.of("\1\n/a\0/b", "record 2: truncated (no final NUL)"));
  }

  /**
   * The command run by the shell and the tools of this machine, over names with every byte the
   * tools escape, files on both sides of the 16 KiB key window, and files that cannot be read.
   */
  @Test
  void readsWhatTheDigestCommandPrints(@TempDir Path dir) throws Exception {
    String key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("plain.conf", "a = 1\n".getBytes(StandardCharsets.UTF_8));
    files.put("new\nline \\ back\rslash 'quote'", "odd\n".getBytes(StandardCharsets.UTF_8));
    files.put("small.pem", key.getBytes(StandardCharsets.UTF_8));
    files.put("big-key-first.pem", (key + "x".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
    files.put("big-key-late.pem", ("x".repeat(16_384) + key).getBytes(StandardCharsets.UTF_8));
    // "-----BEGIN " is 11 bytes: the marker's last byte is the window's last, then one past it
    files.put("edge-in.pem", ("x".repeat(16_384 - 27) + key).getBytes(StandardCharsets.UTF_8));
    files.put("edge-out.pem", ("x".repeat(16_384 - 26) + key).getBytes(StandardCharsets.UTF_8));
    files.put("binary", new byte[] {0, 1, 2, (byte) 0xff, '\n', 0});
    List<String> words = new java.util.ArrayList<>();
    java.util.Set<String> small = new java.util.HashSet<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path p = Files.write(dir.resolve(f.getKey()), f.getValue());
      words.add(RemoteShell.quote(p.toString()));
      if (f.getValue().length <= AgentlessScan.KEY_WINDOW) {
        small.add(RemoteShell.quote(p.toString()));
      }
    }
    Path unreadable = Files.createDirectory(dir.resolve("a directory"));
    words.add(RemoteShell.quote(unreadable.toString()));
    words.add(RemoteShell.quote(dir.resolve("gone").toString()));
    small.add(RemoteShell.quote(dir.resolve("gone").toString()));

    RemoteShell.Output o =
        new LocalShell().run(AgentlessScan.digestCommand("sha256sum", words, small));
    assertThat(o.exit()).as(o.stderr()).isZero();
    AgentlessListing.Sums s = AgentlessListing.sums("sha256sum", o.stdout(), 64);

    Map<String, String> expected = new java.util.HashMap<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String p = dir.resolve(f.getKey()).toString();
      expected.put(p, org.apache.commons.codec.digest.DigestUtils.sha256Hex(f.getValue()));
    }
    assertThat(s.hex()).containsExactlyInAnyOrderEntriesOf(expected);
    // as the agent's Hasher judges: the whole marker within the first 16 KiB
    assertThat(s.keyed())
        .containsExactlyInAnyOrder(
            dir.resolve("small.pem").toString(),
            dir.resolve("big-key-first.pem").toString(),
            dir.resolve("edge-in.pem").toString());
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
