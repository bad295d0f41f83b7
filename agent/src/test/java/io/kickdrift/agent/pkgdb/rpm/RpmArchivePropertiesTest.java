package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/** Whatever bytes a .rpm file holds, reading it fails only with {@link RpmParseException}. */
class RpmArchivePropertiesTest {
  private static final List<String> FIXTURES = List.of("xz", "zstd", "gzip", "bzip2", "none");
  private static final List<byte[]> VALID =
      FIXTURES.stream().map(RpmArchivePropertiesTest::load).toList();

  @Property(tries = 2000)
  void randomBytesOnlyFailWithParseException(@ForAll @Size(max = 400) byte[] rpm) {
    exercise(rpm);
  }

  @Property(tries = 1000)
  void randomBytesAfterAValidLeadOnlyFailWithParseException(@ForAll @Size(max = 400) byte[] rest) {
    byte[] rpm = Arrays.copyOf(VALID.get(0), RpmArchive.LEAD_SIZE + rest.length);
    System.arraycopy(rest, 0, rpm, RpmArchive.LEAD_SIZE, rest.length);
    exercise(rpm);
  }

  @Property(tries = 3000)
  void mutatedPackagesOnlyFailWithParseException(
      @ForAll("fixtureIndexes") int which,
      @ForAll("mutations") List<Tuple.Tuple2<Integer, Byte>> edits) {
    byte[] rpm = VALID.get(which).clone();
    for (var e : edits) {
      rpm[e.get1() % rpm.length] = e.get2();
    }
    exercise(rpm);
  }

  @Property(tries = 1000)
  void truncatedPackagesOnlyFailWithParseException(
      @ForAll("fixtureIndexes") int which, @ForAll("fractions") double fraction) {
    byte[] valid = VALID.get(which);
    exercise(Arrays.copyOf(valid, (int) (valid.length * fraction)));
  }

  @Provide
  Arbitrary<Integer> fixtureIndexes() {
    return Arbitraries.integers().between(0, FIXTURES.size() - 1);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 1).ofScale(4).filter(d -> d < 1);
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> mutations() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<Byte> value =
        Arbitraries.oneOf(
            Arbitraries.bytes(), Arbitraries.of((byte) 0, (byte) 0xff, (byte) 0x7f, (byte) 0x80));
    return Combinators.combine(position, value).as(Tuple::of).list().ofMinSize(1).ofMaxSize(8);
  }

  private static void exercise(byte[] rpm) {
    Throwable t;
    try {
      RpmArchive.contents(new ByteArrayInputStream(rpm), RpmArchiveTest.WANTED, 1 << 20);
      t = null;
    } catch (Throwable e) {
      t = e;
    }
    assertThat(t == null || t instanceof RpmParseException).as("unexpected %s", t).isTrue();
  }

  private static byte[] load(String fixture) {
    try {
      return RpmArchiveTest.fixture(fixture);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
