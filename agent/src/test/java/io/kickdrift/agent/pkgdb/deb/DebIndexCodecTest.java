package io.kickdrift.agent.pkgdb.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Archive;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Contents;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Memo;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Stamp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class DebIndexCodecTest {

  @Property(tries = 200)
  void roundTrips(@ForAll("contents") Contents c) throws IOException {
    assertThat(DebIndexCodec.decode(DebIndexCodec.encode(c))).isEqualTo(c);
  }

  /** CRC32C finds every single-bit error: a flipped bit is never a wrong mode trusted. */
  @Property(tries = 300)
  void aFlippedBitIsRejected(@ForAll("contents") Contents c, @ForAll @IntRange(min = 0) int at)
      throws IOException {
    byte[] b = DebIndexCodec.encode(c);
    int bit = at % (b.length * 8);
    b[bit / 8] ^= (byte) (1 << (bit % 8));

    assertThatThrownBy(() -> DebIndexCodec.decode(b)).isInstanceOf(DebIndexException.class);
  }

  @Property(tries = 300)
  void aTruncatedFileIsRejected(@ForAll("contents") Contents c, @ForAll @IntRange(min = 0) int at)
      throws IOException {
    byte[] b = DebIndexCodec.encode(c);
    byte[] cut = Arrays.copyOf(b, at % b.length);

    assertThatThrownBy(() -> DebIndexCodec.decode(cut)).isInstanceOf(DebIndexException.class);
  }

  /** Any bytes at all: a DebIndexException or contents, never another exception. */
  @Property(tries = 500)
  void arbitraryBytesNeverThrowAnythingElse(@ForAll("garbage") byte[] b) {
    try {
      DebIndexCodec.decode(b);
    } catch (DebIndexException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /** A well-formed header and checksum around a body whose counts lie. */
  @Property(tries = 300)
  void aBodyWithAValidChecksumButBadCountsIsRejected(@ForAll("garbage") byte[] body) {
    byte[] b = framed(DebIndexCodec.VERSION, body);
    try {
      DebIndexCodec.decode(b);
    } catch (DebIndexException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Example
  void anotherSchemaVersionIsRejectedNamingBoth() throws IOException {
    byte[] b = DebIndexCodec.encode(new Contents(Map.of(), Map.of()));
    b[7] = 9;

    assertThatThrownBy(() -> DebIndexCodec.decode(b))
        .isInstanceOf(DebIndexException.class)
        .hasMessage("schema version 9, this build reads " + DebIndexCodec.VERSION);
  }

  @Example
  void anotherFileIsRejectedByItsMagic() {
    assertThatThrownBy(() -> DebIndexCodec.decode("KDS1 not an index".getBytes()))
        .isInstanceOf(DebIndexException.class)
        .hasMessageStartingWith("not a .deb index (magic 4b445331)");
  }

  @Example
  void anArchiveIndexedInPartAnswersOnlyForWhatItHolds() {
    FileMeta m = new FileMeta(FileType.REGULAR, 0644, "root", "root", null, 3L, 1L);
    Archive partial = new Archive(false, Map.of("/etc/a", m));
    Archive complete = new Archive(true, Map.of("/etc/a", m));

    assertThat(partial.answer(Set.of("/etc/a"))).containsOnlyKeys("/etc/a");
    assertThat(partial.answer(Set.of("/etc/a", "/etc/b"))).isNull();
    assertThat(partial.answer(null)).isNull();
    assertThat(complete.answer(Set.of("/etc/a", "/etc/b"))).containsOnlyKeys("/etc/a");
    assertThat(complete.answer(null)).containsOnlyKeys("/etc/a");
  }

  private static byte[] framed(int version, byte[] body) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(12 + body.length)
        .putInt(DebIndexCodec.MAGIC)
        .putInt(version)
        .put(body)
        .putInt((int) crc.getValue())
        .array();
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  @Provide
  Arbitrary<Contents> contents() {
    Arbitrary<String> digest = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    Arbitrary<String> name = Arbitraries.strings().ofMaxLength(40);
    Arbitrary<String> maybe = name.injectNull(0.3);
    Arbitrary<Long> maybeLong = Arbitraries.longs().injectNull(0.3);
    Arbitrary<FileMeta> meta =
        Combinators.combine(
                Arbitraries.of(FileType.class).injectNull(0.2),
                Arbitraries.integers().between(0, 07777).injectNull(0.2),
                maybe,
                maybe,
                maybe,
                maybeLong,
                maybeLong)
            .as(FileMeta::new);
    Arbitrary<Archive> archive =
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.maps(name, meta).ofMaxSize(6))
            .as(Archive::new);
    Arbitrary<Memo> memo =
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(), digest)
            .as((s, m, i, d) -> new Memo(new Stamp(s, m, i), d));
    return Combinators.combine(
            Arbitraries.maps(name, memo).ofMaxSize(4),
            Arbitraries.maps(digest, archive).ofMaxSize(4))
        .as(Contents::new);
  }
}
