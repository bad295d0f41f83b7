package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/** Whatever bytes a Packages row holds, decoding fails only with {@link RpmParseException}. */
class RpmHeaderPropertiesTest {
  /** A realistic header to mutate: every tag the backend reads, with three files. */
  private static final byte[] VALID =
      new HeaderBuilder()
          .string(RpmTag.NAME, "demo")
          .string(RpmTag.VERSION, "1.2")
          .string(RpmTag.RELEASE, "3")
          .int32(RpmTag.EPOCH, 2)
          .string(RpmTag.ARCH, "noarch")
          .int32(RpmTag.FILESIZES, 4096, 2, 6)
          .int64(RpmTag.LONGFILESIZES, 4096, 2, 6)
          .chars(RpmTag.FILESTATES, 0, 1, 2)
          .int16(RpmTag.FILEMODES, 040755, 0100644, 0120777)
          .int32(RpmTag.FILEMTIMES, 1, 2, 3)
          .strings(RpmTag.FILEDIGESTS, "", "60b725f10c9c85c70d97880dfe8191b3", "")
          .strings(RpmTag.FILELINKTOS, "", "", "a.conf")
          .int32(RpmTag.FILEFLAGS, 0, 17, 64)
          .strings(RpmTag.FILEUSERNAME, "root", "root", "root")
          .strings(RpmTag.FILEGROUPNAME, "root", "root", "root")
          .int32(RpmTag.FILEVERIFYFLAGS, -1, -1, -40)
          .int32(RpmTag.DIRINDEXES, 0, 1, 1)
          .strings(RpmTag.BASENAMES, "demo", "a.conf", "link")
          .strings(RpmTag.DIRNAMES, "/etc/", "/etc/demo/")
          .int32(RpmTag.FILEDIGESTALGO, 1)
          .build();

  @Property(tries = 3000)
  void randomBytesOnlyFailWithParseException(@ForAll @Size(max = 300) byte[] blob) {
    exercise(blob);
  }

  @Property(tries = 3000)
  void mutatedHeadersOnlyFailWithParseException(
      @ForAll("mutations") List<Tuple.Tuple2<Integer, Byte>> edits) {
    byte[] blob = VALID.clone();
    for (var e : edits) {
      blob[e.get1() % blob.length] = e.get2();
    }
    exercise(blob);
  }

  @Property(tries = 1000)
  void truncatedHeadersAreRejected(@ForAll("cuts") int length) {
    byte[] blob = java.util.Arrays.copyOf(VALID, length);
    assertThat(outcome(blob)).isInstanceOf(RpmParseException.class);
  }

  @Example
  void theUnmutatedHeaderDecodes() throws Exception {
    assertThat(RpmPackages.fromHeader(RpmHeader.decode(VALID)).files()).hasSize(3);
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> mutations() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length - 1);
    Arbitrary<Byte> value =
        Arbitraries.oneOf(
            Arbitraries.bytes(), Arbitraries.of((byte) 0, (byte) 0xff, (byte) 0x7f, (byte) 0x80));
    return Combinators.combine(position, value).as(Tuple::of).list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, VALID.length - 1);
  }

  private static void exercise(byte[] blob) {
    Throwable t = outcome(blob);
    assertThat(t == null || t instanceof RpmParseException).as("unexpected %s", t).isTrue();
  }

  /** Decodes, reads every tag every way, maps the package; returns what was thrown, if anything. */
  private static Throwable outcome(byte[] blob) {
    try {
      RpmHeader h = RpmHeader.decode(blob);
      for (RpmTag tag : RpmTag.values()) {
        for (Accessor a : ACCESSORS) {
          try {
            a.read(h, tag);
          } catch (RpmParseException e) {
            // a type mismatch; fine
          }
        }
      }
      RpmPackage p = RpmPackages.fromHeader(h);
      RpmPackages.files(p, p.name());
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** Every typed accessor of a header, for tests that read each tag every way. */
  interface Accessor {
    void read(RpmHeader h, RpmTag tag) throws RpmParseException;
  }

  static final List<Accessor> ACCESSORS =
      List.of(
          RpmHeader::string,
          RpmHeader::stringArray,
          RpmHeader::int16Array,
          RpmHeader::int32Array,
          RpmHeader::int64Array,
          RpmHeader::bytes,
          RpmHeader::int32,
          RpmHeader::int64);
}
