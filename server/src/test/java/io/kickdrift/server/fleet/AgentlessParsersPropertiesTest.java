package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Random and mutated command output only ever fails as AgentlessParseException naming the command
 * and the line or record.
 */
class AgentlessParsersPropertiesTest {
  static final String VERIFY =
      "??5?????? c /etc/alpha.conf\nmissing     /usr/bin/x\n..?......   /etc/new\nline\n"
          + "S.5....T.  c /etc/rpm.conf\n";
  static final byte[] LISTING =
      AgentlessListingTest.concat(
          AgentlessListingTest.nul("f", "f", "644", "0", "0", "12", "1700000000.5", "/etc/a", ""),
          AgentlessListingTest.nul("l", "N", "777", "0", "0", "3", "1.0", "/etc/l", "x"));
  static final byte[] SUMS =
      AgentlessListingTest.concat(
          ("d41d8cd98f00b204e9800998ecf8427e  /etc/a\n\\d41d8cd98f00b204e9800998ecf8427e"
                  + "  /etc/b\\nc\\\\\n\1\n")
              .getBytes(StandardCharsets.UTF_8),
          AgentlessListingTest.nul("/etc/a"));

  @Property(tries = 2000)
  void verifyOutputParsesOrFailsNamingTheLine(@ForAll("verifyTexts") String text) {
    parsesOrFailsNaming("dpkg --verify: line ", () -> AgentlessVerify.parse("dpkg --verify", text));
  }

  @Property(tries = 2000)
  void listingsParseOrFailNamingTheRecord(@ForAll("listings") byte[] out) {
    parsesOrFailsNaming("find: record ", () -> AgentlessListing.entries("find", out));
  }

  @Property(tries = 1000)
  void sumsParseOrFailNamingTheLineOrRecord(@ForAll("sumOutputs") byte[] out) {
    parsesOrFailsNaming("md5sum: ", () -> AgentlessListing.sums("md5sum", out, 32));
  }

  /** The parse succeeds, or fails as AgentlessParseException with a message naming where. */
  private static void parsesOrFailsNaming(String where, ThrowingCallable parse) {
    Throwable t = catchThrowable(parse);
    if (t != null) {
      assertThat(t).isInstanceOf(AgentlessParseException.class);
      assertThat(t.getMessage()).startsWith(where);
    }
  }

  @Provide
  Arbitrary<String> verifyTexts() {
    Arbitrary<String> mutated =
        mutations(VERIFY.getBytes(StandardCharsets.UTF_8))
            .map(b -> new String(b, StandardCharsets.UTF_8));
    Arbitrary<String> random = Arbitraries.strings().withChars("?.5cm /\nabx").ofMaxLength(80);
    return Arbitraries.frequencyOf(Tuple.of(3, mutated), Tuple.of(1, random));
  }

  @Provide
  Arbitrary<byte[]> listings() {
    return outputs(LISTING, 9, 120);
  }

  @Provide
  Arbitrary<byte[]> sumOutputs() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, mutations(SUMS)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(80)));
  }

  /** Mutations of a good output, records of random fields, and now and then random bytes. */
  private static Arbitrary<byte[]> outputs(byte[] good, int fields, int randomMaxSize) {
    return Arbitraries.frequencyOf(
        Tuple.of(3, mutations(good)),
        Tuple.of(3, fieldwise(fields)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(randomMaxSize)));
  }

  /**
   * Whole records whose fields are drawn from valid and broken values, so every field's parser sees
   * bad input (byte mutations mostly break the field count first).
   */
  static Arbitrary<byte[]> fieldwise(int fields) {
    Arbitrary<String> field =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                "f",
                "l",
                "X",
                "N",
                "q",
                "ff",
                "0",
                "1",
                "644",
                "7777",
                "17777",
                "-1",
                "+1",
                "4294967296",
                "99999999999999999999",
                "1.5",
                "-1.5",
                "1e9",
                ".",
                "/etc/a",
                "a",
                "d41d8cd98f00b204e9800998ecf8427e",
                "D41D8CD98F00B204E9800998ECF8427Z"),
            Arbitraries.strings().ofMaxLength(6));
    return field
        .list()
        .ofMaxSize(fields * 3)
        .map(
            l -> {
              StringBuilder b = new StringBuilder();
              for (String x : l) {
                b.append(x).append('\0');
              }
              return b.toString().getBytes(StandardCharsets.UTF_8);
            });
  }

  /** {@code base} cut short and with bytes overwritten (NULs among them). */
  static Arbitrary<byte[]> mutations(byte[] base) {
    Arbitrary<Integer> length = Arbitraries.integers().between(0, base.length);
    Arbitrary<Byte> bytes =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.bytes()),
            Tuple.of(
                1,
                Arbitraries.of(
                    (byte) 0, (byte) 1, (byte) '\n', (byte) '\\', (byte) '-', (byte) '9')));
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> edits =
        Combinators.combine(Arbitraries.integers().between(0, base.length), bytes)
            .as(Tuple::of)
            .list()
            .ofMaxSize(4);
    return Combinators.combine(length, edits)
        .as(
            (n, e) -> {
              byte[] out = java.util.Arrays.copyOf(base, n);
              for (var edit : e) {
                if (edit.get1() < n) {
                  out[edit.get1()] = edit.get2();
                }
              }
              return out;
            });
  }
}
