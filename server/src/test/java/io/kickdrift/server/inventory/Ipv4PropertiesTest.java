package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The hand-written parser against the rule it replaced: a regular expression and Integer.parseInt.
 */
class Ipv4PropertiesTest {
  private static final Pattern QUAD =
      Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  static long reference(String text) {
    if (text == null || !QUAD.matcher(text).matches()) {
      return Ipv4.MALFORMED;
    }
    long value = 0;
    for (String part : text.split("\\.")) {
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return Ipv4.MALFORMED;
      }
      value = value << 8 | octet;
    }
    return value;
  }

  @Property(tries = 3000)
  void anyTextParsesAsTheRuleSays(@ForAll("nearlyAddresses") String text) {
    assertThat(Ipv4.parse(text)).as(text).isEqualTo(reference(text));
  }

  @Property(tries = 1000)
  void anyAddressFormattedComesBack(@ForAll("addresses") long address) {
    assertThat(Ipv4.parse(Ipv4.format(address))).isEqualTo(address);
  }

  @Test
  void theEdges() {
    assertThat(Ipv4.parse("0.0.0.0")).isZero();
    assertThat(Ipv4.parse("255.255.255.255")).isEqualTo(0xffffffffL);
    for (String bad :
        new String[] {
          "",
          "1.2.3",
          "1.2.3.4.",
          "01.2.3.4",
          "256.1.1.1",
          "1..2.3",
          "1.2.3.4 ",
          "1.2.3.1000",
          "+1.2.3.4"
        }) {
      assertThat(Ipv4.parse(bad)).as(bad).isEqualTo(Ipv4.MALFORMED);
    }
    assertThat(Ipv4.parse(null)).isEqualTo(Ipv4.MALFORMED);
  }

  @Provide
  Arbitrary<String> nearlyAddresses() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789.").ofMaxLength(20),
        Arbitraries.integers()
            .between(0, 999)
            .list()
            .ofMinSize(3)
            .ofMaxSize(5)
            .map(l -> String.join(".", l.stream().map(String::valueOf).toList())),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Provide
  Arbitrary<Long> addresses() {
    return Arbitraries.longs().between(0, 0xffffffffL);
  }
}
