package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the HTTP routes parse from the client (the events query, a body's UTF-8) never fails but
 * with a {@link ClientError} of status 400, whatever the input.
 */
class HttpParsingPropertiesTest {
  @Property(tries = 3000)
  void anyQueryParsesOrIsA400(@ForAll("queries") String query) {
    try {
      EventsQuery q = EventsQuery.parse(query);
      assertThat(q.limit()).isBetween(1, EventsQuery.MAX_LIMIT);
      assertThat(q.before()).isPositive();
      if (q.host() != null) {
        assertThat(q.host()).isNotEmpty().hasSizeLessThanOrEqualTo(EventsQuery.MAX_HOST);
      }
    } catch (ClientError e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\n", "\r");
    }
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> names =
        Arbitraries.of("host", "limit", "before", "hots", "", "%68ost", "limit%");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('0', '9').ofMaxLength(22),
            Arbitraries.strings().ofMaxLength(30),
            Arbitraries.strings().withChars("%0123456789abcdefABCDEFxz+&=").ofMaxLength(20));
    Arbitrary<String> pairs =
        Arbitraries.oneOf(
            names.flatMap(n -> values.map(v -> n + "=" + v)), names, Arbitraries.strings());
    return pairs.list().ofMaxSize(5).map(l -> String.join("&", l));
  }

  @Property(tries = 3000)
  void strictUtf8AcceptsExactlyWhatRoundTrips(@ForAll byte[] bytes) {
    String lenient = new String(bytes, StandardCharsets.UTF_8);
    boolean valid = java.util.Arrays.equals(lenient.getBytes(StandardCharsets.UTF_8), bytes);
    try {
      assertThat(ClientError.utf8(bytes, "body")).isEqualTo(lenient);
      assertThat(valid).isTrue();
    } catch (ClientError e) {
      assertThat(valid).isFalse();
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).startsWith("body: not UTF-8 at byte ");
    }
  }

  @Property(tries = 1000)
  void validTextAlwaysDecodes(@ForAll String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (java.util.Arrays.equals(
            new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), bytes)
        && text.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)) {
      try {
        assertThat(ClientError.utf8(bytes, "body")).isEqualTo(text);
      } catch (ClientError e) {
        throw new AssertionError(text, e);
      }
    }
  }
}
