package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * What a client sends to the HTTP routes' parsers: the events query string (first byte {@code q})
 * and the netboot body (any other first byte) either parse or are a {@link ClientError} with a 4xx
 * status and a one-line message of bounded length (any client text in it shown through LogText);
 * never another exception. A parsed query stays within its bounds and asked again gives the same
 * page. Inputs: {@code HttpParsingFuzzTestInputs/parse/}.
 */
class HttpParsingFuzzTest {
  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void parse(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    try {
      if (input[0] == 'q') {
        EventsQuery query = EventsQuery.parse(new String(rest, StandardCharsets.ISO_8859_1));
        assertThat(query.limit()).isBetween(1, 1000);
        assertThat(query.before()).isPositive();
        assertThat(EventsQuery.parse(query.next(query.before())).host()).isEqualTo(query.host());
      } else {
        Routes.enabled(ClientError.utf8(rest, "request body"));
      }
    } catch (ClientError e) {
      assertThat(e.status()).isBetween(400, 499);
      // LogText keeps 40 characters of a parameter's name, each at most 6 when escaped
      assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u0000").hasSizeLessThan(400);
    }
  }
}
