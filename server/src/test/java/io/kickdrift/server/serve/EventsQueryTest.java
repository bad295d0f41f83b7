package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventsQueryTest {
  @Test
  void defaultsWithoutAQuery() throws Exception {
    assertThat(EventsQuery.parse(null)).isEqualTo(new EventsQuery(null, 100, Long.MAX_VALUE));
    assertThat(EventsQuery.parse("")).isEqualTo(new EventsQuery(null, 100, Long.MAX_VALUE));
  }

  @Test
  void readsEachParameterPercentDecoded() throws Exception {
    assertThat(EventsQuery.parse("host=web%2Dx.example.com&limit=1000&before=42"))
        .isEqualTo(new EventsQuery("web-x.example.com", 1000, 42));
    assertThat(EventsQuery.parse("&limit=1&&host=a+b"))
        .isEqualTo(new EventsQuery("a b", 1, Long.MAX_VALUE));
  }

  @Test
  void theNextPageKeepsHostAndLimit() throws Exception {
    EventsQuery q = EventsQuery.parse("host=a%26b&limit=3");
    assertThat(q.next(17)).isEqualTo("host=a%26b&limit=3&before=17");
    assertThat(EventsQuery.parse(q.next(17))).isEqualTo(new EventsQuery("a&b", 3, 17));
    assertThat(EventsQuery.parse("limit=3").next(5)).isEqualTo("limit=3&before=5");
  }

  @Test
  void refusalsNameTheParameter() {
    assertRefused("limit=0", "limit: expected a whole number from 1 to 1000");
    assertRefused("limit=1001", "limit: expected a whole number from 1 to 1000");
    assertRefused("limit=+5", "limit: expected a whole number from 1 to 1000");
    assertRefused("limit", "limit: expected a whole number from 1 to 1000");
    assertRefused("before=0", "before: expected an event id (a whole number from 1)");
    assertRefused(
        "before=9999999999999999999", "before: expected an event id (a whole number from 1)");
    assertRefused("host=", "host: expected a host name of 1 to 255 characters");
    assertRefused("host=" + "a".repeat(256), "host: expected a host name of 1 to 255 characters");
    assertRefused("host=%C0%AF", "parameter host: not UTF-8 at byte 0");
    assertRefused("host=%4", "parameter host: bad percent-encoding");
    assertRefused("limit=1&limit=2", "parameter limit given more than once");
    assertRefused("hosts=a", "unknown parameter hosts (expected host, limit, before)");
    assertRefused("%0a=1", "unknown parameter \\x0a (expected host, limit, before)");
  }

  private static void assertRefused(String query, String message) {
    assertThatThrownBy(() -> EventsQuery.parse(query))
        .as(query)
        .isInstanceOfSatisfying(
            ClientError.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }
}
