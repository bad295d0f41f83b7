package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.rpm.RpmHeader.Entry;
import io.kickdrift.agent.pkgdb.rpm.RpmHeader.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpmHeaderTest {
  /** il=1 dl=5: NAME (1000 = 0x3e8) STRING at 0, count 1; data "demo\0". */
  private static final byte[] NAME_ONLY = {
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    5, //
    0,
    0,
    0x03,
    (byte) 0xe8,
    0,
    0,
    0,
    6,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    1, //
    'd',
    'e',
    'm',
    'o',
    0
  };

  /**
   * il=5 dl=27: LONGFILESIZES (5008 = 0x1390) INT64 at 0; FILESIZES (1028 = 0x404) INT32 at 8;
   * FILEMODES (1030 = 0x406) INT16 at 16; FILESTATES (1029 = 0x405) CHAR at 20; BASENAMES (1117 =
   * 0x45d) STRING_ARRAY at 22.
   */
  private static final byte[] TYPED = {
    0,
    0,
    0,
    5,
    0,
    0,
    0,
    27, //
    0,
    0,
    0x13,
    (byte) 0x90,
    0,
    0,
    0,
    5,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    1, //
    0,
    0,
    0x04,
    0x04,
    0,
    0,
    0,
    4,
    0,
    0,
    0,
    8,
    0,
    0,
    0,
    2, //
    0,
    0,
    0x04,
    0x06,
    0,
    0,
    0,
    3,
    0,
    0,
    0,
    16,
    0,
    0,
    0,
    2, //
    0,
    0,
    0x04,
    0x05,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    20,
    0,
    0,
    0,
    2, //
    0,
    0,
    0x04,
    0x5d,
    0,
    0,
    0,
    8,
    0,
    0,
    0,
    22,
    0,
    0,
    0,
    2, //
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0, // 1 << 40
    (byte) 0xff,
    (byte) 0xff,
    (byte) 0xff,
    (byte) 0xff,
    0,
    0,
    0,
    2, // -1, 2
    (byte) 0x81,
    (byte) 0xa4,
    (byte) 0xa1,
    (byte) 0xff, // 0100644, 0120777
    0,
    (byte) 0xff, // 0, -1
    'a',
    0,
    'b',
    'c',
    0
  };

  @Test
  void decodesAString() throws Exception {
    RpmHeader h = RpmHeader.decode(NAME_ONLY);

    assertThat(h.entries()).containsExactly(new Entry(1000, Type.STRING, 0, 1));
    assertThat(h.string(RpmTag.NAME)).hasValue("demo");
    assertThat(h.has(RpmTag.VERSION)).isFalse();
    assertThat(h.string(RpmTag.VERSION)).isEmpty();
    assertThat(h.int32Array(RpmTag.FILESIZES)).isEmpty();
  }

  @Test
  void decodesEachTypeBigEndian() throws Exception {
    RpmHeader h = RpmHeader.decode(TYPED);

    assertThat(h.int64Array(RpmTag.LONGFILESIZES)).containsExactly(1L << 40);
    assertThat(h.int64(RpmTag.LONGFILESIZES)).hasValue(1L << 40);
    assertThat(h.int32Array(RpmTag.FILESIZES)).containsExactly(-1, 2);
    assertThat(h.int32(RpmTag.FILESIZES)).hasValue(-1);
    assertThat(h.int16Array(RpmTag.FILEMODES)).containsExactly(0100644, 0120777);
    assertThat(h.bytes(RpmTag.FILESTATES)).containsExactly(0, -1);
    assertThat(h.stringArray(RpmTag.BASENAMES)).containsExactly("a", "bc");
  }

  @Test
  void builderEncodesTheSameBytes() {
    byte[] built =
        new HeaderBuilder()
            .int64(RpmTag.LONGFILESIZES, 1L << 40)
            .int32(RpmTag.FILESIZES, -1, 2)
            .int16(RpmTag.FILEMODES, 0100644, 0120777)
            .chars(RpmTag.FILESTATES, 0, -1)
            .strings(RpmTag.BASENAMES, "a", "bc")
            .build();

    assertThat(built).containsExactly(TYPED);
  }

  @Test
  void laterDuplicateTagWins() throws Exception {
    byte[] blob = new HeaderBuilder().string(RpmTag.NAME, "old").string(RpmTag.NAME, "new").build();

    assertThat(RpmHeader.decode(blob).string(RpmTag.NAME)).hasValue("new");
  }

  @Test
  void firstI18nStringIsTheString() throws Exception {
    byte[] blob = {
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      6, //
      0,
      0,
      0x03,
      (byte) 0xe8,
      0,
      0,
      0,
      9,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      2, //
      'e',
      'n',
      0,
      'd',
      'e',
      0
    };

    assertThat(RpmHeader.decode(blob).string(RpmTag.NAME)).hasValue("en");
  }

  @Test
  void rejectsShortIntro() {
    assertFails(new byte[] {0, 0, 0}, "truncated intro: 3 bytes, need 8");
  }

  @Test
  void rejectsIndexCountOutOfRange() {
    assertFails(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}, "index count 0 out of range 1..65535");
    assertFails(new byte[] {0, 1, 0, 0, 0, 0, 0, 0}, "index count 65536 out of range 1..65535");
    assertFails(
        new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0},
        "index count -2147483648 out of range 1..65535");
  }

  @Test
  void rejectsDataLengthOutOfRange() {
    assertFails(
        new byte[] {0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        "data length -1 out of range 0..268435455");
    assertFails(
        new byte[] {0, 0, 0, 1, 0x10, 0, 0, 0}, "data length 268435456 out of range 0..268435455");
  }

  @Test
  void rejectsTruncatedAndOverlongBlobs() {
    byte[] shortBlob = java.util.Arrays.copyOf(NAME_ONLY, 20);
    assertFails(shortBlob, "truncated: 20 bytes, header needs 29");
    byte[] longBlob = java.util.Arrays.copyOf(NAME_ONLY, 30);
    assertFails(longBlob, "30 bytes, header needs only 29");
  }

  @Test
  void rejectsOffsetBeyondData() {
    assertFails(entry(1000, 6, 900, 1), "index entry 0: offset 900 beyond data length 5");
    assertFails(entry(1000, 6, 5, 1), "index entry 0: offset 5 beyond data length 5");
    assertFails(entry(1000, 6, -4, 1), "index entry 0: offset -4 beyond data length 5");
  }

  @Test
  void rejectsUnknownType() {
    assertFails(entry(1000, 12, 0, 1), "index entry 0: unknown type 12");
    assertFails(entry(1000, 0, 0, 1), "index entry 0: unknown type 0");
  }

  @Test
  void rejectsCountOutOfRange() {
    assertFails(entry(1000, 8, 0, 0), "index entry 0: count 0 out of range");
    assertFails(entry(1000, 8, 0, -1), "index entry 0: count 4294967295 out of range");
    assertFails(entry(1000, 6, 0, 2), "index entry 0: STRING with count 2");
  }

  @Test
  void rejectsStringsWithoutNul() {
    byte[] blob = NAME_ONLY.clone();
    blob[blob.length - 1] = 'x';
    assertFails(blob, "index entry 0: string 0 of 1 lacks its NUL");
    assertFails(entry(1000, 8, 0, 2), "index entry 0: string 1 of 2 lacks its NUL");
  }

  @Test
  void rejectsMisalignedAndOverrunningNumbers() {
    assertFails(entry(1028, 4, 1, 1), "index entry 0: offset 1 not aligned for INT32");
    assertFails(entry(1030, 3, 3, 1), "index entry 0: offset 3 not aligned for INT16");
    assertFails(
        entry(1028, 4, 4, 1), "index entry 0: 1 INT32 values at offset 4 overrun data length 5");
    assertFails(
        entry(5008, 5, 0, 1), "index entry 0: 1 INT64 values at offset 0 overrun data length 5");
  }

  @Test
  void namesTheEntryThatIsBad() {
    byte[] blob = new HeaderBuilder().string(RpmTag.NAME, "a").string(RpmTag.VERSION, "1").build();
    blob[8 + 16 + 11] = 100; // second entry's offset

    assertFails(blob, "index entry 1: offset 100 beyond data length 4");
  }

  @Test
  void accessorsRejectUnexpectedTypes() throws Exception {
    RpmHeader h = RpmHeader.decode(NAME_ONLY);

    assertThatThrownBy(() -> h.int32Array(nameTagAs()))
        .hasMessage("tag 1000: type STRING, expected INT32");
    assertThatThrownBy(() -> h.stringArray(nameTagAs()))
        .hasMessage("tag 1000: type STRING, expected STRING_ARRAY");
    assertThatThrownBy(() -> RpmHeader.decode(TYPED).string(RpmTag.LONGFILESIZES))
        .isInstanceOf(RpmParseException.class)
        .hasMessage("tag 5008: type INT64, expected STRING");
  }

  private static RpmTag nameTagAs() {
    return RpmTag.NAME;
  }

  /** NAME_ONLY with its one index entry replaced. */
  private static byte[] entry(int tag, int type, int offset, int count) {
    byte[] blob = NAME_ONLY.clone();
    java.nio.ByteBuffer.wrap(blob, 8, 16).putInt(tag).putInt(type).putInt(offset).putInt(count);
    return blob;
  }

  private static void assertFails(byte[] blob, String message) {
    assertThatThrownBy(() -> RpmHeader.decode(blob))
        .isInstanceOf(RpmParseException.class)
        .hasMessage(message);
  }

  @Test
  void entriesKeepBlobOrder() throws Exception {
    assertThat(RpmHeader.decode(TYPED).entries())
        .extracting(Entry::tag)
        .isEqualTo(List.of(5008, 1028, 1030, 1029, 1117));
  }
}
