package io.kickdrift.agent.pkgdb.rpm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the kd-orig-*.rpm package files in {@code fixtures/rpm/} (built by make-archives.sh from
 * kd-orig.spec, one per payload compressor), and broken copies of them.
 */
class RpmArchiveTest {
  static final String CONF = "listen = 80\nworkers = 4\n";
  static final Set<String> WANTED =
      Set.of(
          "/etc/kdo/kdo.conf",
          "/etc/kdo/hard.conf",
          "/etc/kdo/empty.conf",
          "/etc/kdo/ghost.conf",
          "/etc/kdo/link",
          "/etc/kdo",
          "/usr/share/kdo/data");

  static byte[] fixture(String compressor) throws IOException {
    try (InputStream in =
        RpmArchiveTest.class.getResourceAsStream("/fixtures/rpm/kd-orig-" + compressor + ".rpm")) {
      return in.readAllBytes();
    }
  }

  static Map<String, byte[]> contents(byte[] rpm, Set<String> wanted) throws IOException {
    return RpmArchive.contents(new ByteArrayInputStream(rpm), wanted, 1 << 20);
  }

  @ParameterizedTest
  @CsvSource({"xz,xz", "zstd,zstd", "gzip,gzip", "bzip2,bzip2", "none,"})
  void readsTheHeaders(String fixture, String compressor) throws Exception {
    RpmArchive.Info info = RpmArchive.readHeaders(new ByteArrayInputStream(fixture(fixture)));
    assertThat(info.name()).isEqualTo("kd-orig");
    assertThat(info.epoch()).isEqualTo(3);
    assertThat(info.version()).isEqualTo("1.0");
    assertThat(info.release()).isEqualTo("2");
    assertThat(info.evr()).isEqualTo("3:1.0-2");
    assertThat(info.arch()).isEqualTo("noarch");
    assertThat(info.payloadFormat()).isEqualTo("cpio");
    assertThat(info.payloadCompressor()).isEqualTo(compressor);
    assertThat(info.paths())
        .containsExactlyInAnyOrder(
            "/etc/kdo",
            "/etc/kdo/kdo.conf",
            "/etc/kdo/hard.conf",
            "/etc/kdo/empty.conf",
            "/etc/kdo/ghost.conf",
            "/etc/kdo/link",
            "/usr/share/kdo",
            "/usr/share/kdo/data");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xz", "zstd", "gzip", "bzip2", "none"})
  void extractsRegularFilesIncludingHardLinksAndEmptyOnes(String fixture) throws Exception {
    Map<String, byte[]> c = contents(fixture(fixture), WANTED);
    // Not the directory, the symlink, nor the %ghost the payload lacks.
    assertThat(c)
        .containsOnlyKeys(
            "/etc/kdo/kdo.conf",
            "/etc/kdo/hard.conf",
            "/etc/kdo/empty.conf",
            "/usr/share/kdo/data");
    assertThat(new String(c.get("/etc/kdo/kdo.conf"), UTF_8)).isEqualTo(CONF);
    assertThat(new String(c.get("/etc/kdo/hard.conf"), UTF_8)).isEqualTo(CONF);
    assertThat(c.get("/etc/kdo/empty.conf")).isEmpty();
    assertThat(new String(c.get("/usr/share/kdo/data"), UTF_8)).isEqualTo("data\n");
  }

  @Test
  void stopsOnceEveryWantedFileIsFound() throws Exception {
    byte[] rpm = fixture("none");
    // Cut the uncompressed payload before /usr/share/kdo/data; empty.conf comes before it, so
    // asking for that alone never reads that far. (rpm writes hard-link sets last.)
    int cut = indexOf(rpm, "./usr/share/kdo/data".getBytes(UTF_8));
    byte[] head = Arrays.copyOf(rpm, cut);
    assertThat(contents(head, Set.of("/etc/kdo/empty.conf")))
        .containsOnlyKeys("/etc/kdo/empty.conf");
    assertThatThrownBy(() -> contents(head, Set.of("/usr/share/kdo/data")))
        .isInstanceOf(RpmParseException.class)
        .hasMessageStartingWith("bad uncompressed cpio payload: ");
  }

  @Test
  void leavesOutFilesLargerThanTheLimit() throws Exception {
    Map<String, byte[]> c =
        RpmArchive.contents(
            new ByteArrayInputStream(fixture("gzip")),
            Set.of("/etc/kdo/kdo.conf", "/etc/kdo/empty.conf"),
            5);
    assertThat(c).containsOnlyKeys("/etc/kdo/empty.conf");
  }

  @Test
  void truncatedLead() {
    byte[] rpm = {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb, 3, 0};
    assertThatThrownBy(() -> contents(rpm, WANTED))
        .isInstanceOf(RpmParseException.class)
        .hasMessage("not an rpm: truncated lead, 6 bytes of 96");
  }

  /** One byte of the lead or the signature header overwritten: its magic, or its type. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "3|0|not an rpm: bad lead magic",
        "79|1|lead: signature type 1 not supported, expected 5",
        "96|0|bad signature header magic"
      })
  void aBrokenLeadOrSignatureHeader(int at, byte value, String message) throws Exception {
    byte[] rpm = fixture("xz");
    rpm[at] = value;
    assertThatThrownBy(() -> contents(rpm, WANTED))
        .isInstanceOf(RpmParseException.class)
        .hasMessage(message);
  }

  @Test
  void truncatedMainHeader() throws Exception {
    byte[] rpm = fixture("xz");
    int main = mainHeaderOffset(rpm);
    byte[] cut = Arrays.copyOf(rpm, main + 40);
    assertThatThrownBy(() -> contents(cut, WANTED))
        .isInstanceOf(RpmParseException.class)
        .hasMessageStartingWith("truncated main header: 24 bytes of ");
  }

  @Test
  void truncatedHeaderIsRecognisedByTheMagicAfterIt() throws Exception {
    byte[] rpm = fixture("xz");
    byte[] cut = Arrays.copyOf(rpm, mainHeaderOffset(rpm) + 3);
    assertThatThrownBy(() -> contents(cut, WANTED))
        .isInstanceOf(RpmParseException.class)
        .hasMessage("truncated main header: 3 bytes of its 16-byte intro");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xz", "zstd", "gzip", "bzip2", "none"})
  void truncatedPayload(String fixture) throws Exception {
    byte[] rpm = fixture(fixture);
    byte[] cut = Arrays.copyOf(rpm, rpm.length - 200);
    assertThatThrownBy(() -> contents(cut, Set.of("/usr/share/kdo/data", "/nowhere")))
        .isInstanceOf(RpmParseException.class)
        .hasMessageContaining("cpio payload");
  }

  /** The main header's payload compressor or format tag overwritten with another name. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "gzip|lzma|payload compressor 'lzma' not supported",
        "cpio|drpm|payload format 'drpm' not supported, expected cpio"
      })
  void anUnsupportedPayload(String tag, String other, String message) throws Exception {
    byte[] rpm = fixture("gzip");
    int at = indexOf(rpm, (tag + "\0").getBytes(UTF_8), mainHeaderOffset(rpm));
    System.arraycopy(other.getBytes(UTF_8), 0, rpm, at, 4);
    assertThatThrownBy(() -> contents(rpm, WANTED))
        .isInstanceOf(RpmParseException.class)
        .hasMessage(message);
  }

  @Test
  void errorsFromFilesNameTheFile(@TempDir Path dir) throws Exception {
    Path notRpm = dir.resolve("x-1.0-1.noarch.rpm");
    Files.write(notRpm, new byte[200]);
    assertThatThrownBy(() -> RpmArchive.info(notRpm))
        .isInstanceOf(RpmParseException.class)
        .hasMessage(notRpm + ": not an rpm: bad lead magic");
    assertThatThrownBy(() -> RpmArchive.contents(notRpm, WANTED, 100))
        .isInstanceOf(RpmParseException.class)
        .hasMessage(notRpm + ": not an rpm: bad lead magic");
  }

  @Test
  void readsFromFiles(@TempDir Path dir) throws Exception {
    Path rpm = dir.resolve("kd-orig-1.0-2.noarch.rpm");
    Files.write(rpm, fixture("zstd"));
    assertThat(RpmArchive.info(rpm).evr()).isEqualTo("3:1.0-2");
    assertThat(RpmArchive.contents(rpm, Set.of("/etc/kdo/kdo.conf"), 100))
        .hasEntrySatisfying(
            "/etc/kdo/kdo.conf", b -> assertThat(new String(b, UTF_8)).isEqualTo(CONF));
  }

  @Test
  void cpioNames() {
    assertThat(RpmArchive.normalise("./etc/x")).isEqualTo("/etc/x");
    assertThat(RpmArchive.normalise("/etc/x")).isEqualTo("/etc/x");
    assertThat(RpmArchive.normalise("etc/x")).isNull();
  }

  /** The offset of the main header: after the lead, the signature header and its padding. */
  static int mainHeaderOffset(byte[] rpm) {
    int il = java.nio.ByteBuffer.wrap(rpm).getInt(96 + 8);
    int dl = java.nio.ByteBuffer.wrap(rpm).getInt(96 + 12);
    int end = 96 + 16 + 16 * il + dl;
    return end + (8 - end % 8) % 8;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    return indexOf(hay, needle, 0);
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    for (int i = from; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
