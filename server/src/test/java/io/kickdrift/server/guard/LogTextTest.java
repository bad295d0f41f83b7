package io.kickdrift.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogTextTest {
  /** Client text and how a log shows it: plain text as it is, the rest escaped. */
  static Stream<Arguments> shown() {
    return Stream.of(
        // plain text is kept
        arguments("pxelinux.cfg/01-52-54-00-12-34-01", "pxelinux.cfg/01-52-54-00-12-34-01"),
        arguments("grüße/ök", "grüße/ök"),
        arguments("emoji \uD83D\uDE00", "emoji \uD83D\uDE00"),
        // control and invisible characters are shown escaped
        arguments("a\nb\rc\0d\u001be", "a\\x0ab\\x0dc\\x00d\\x1be"),
        arguments("a\u2028b\u2029c\u0085d\u202ee", "a\\u2028b\\u2029c\\u0085d\\u202ee"),
        arguments("back\\slash", "back\\\\slash"),
        arguments("lone \uD800 surrogate", "lone \\ud800 surrogate"));
  }

  @ParameterizedTest
  @MethodSource("shown")
  void plainTextIsKeptAndControlAndInvisibleCharactersAreShownEscaped(String text, String shown) {
    assertThat(LogText.of(text)).isEqualTo(shown);
  }

  @Test
  void longTextIsCutAndSaysHowMuch() {
    assertThat(LogText.of("x".repeat(65_000)))
        .isEqualTo("x".repeat(200) + "…(64800 more characters)");
    assertThat(LogText.of("abcdef", 3)).isEqualTo("abc…(3 more characters)");
    assertThat(LogText.of(null)).isEqualTo("(none)");
  }

  @Property
  void neverALineBreakAndBoundedLength(@ForAll String text) {
    String shown = LogText.of(text, 50);
    assertThat(shown).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0085");
    assertThat(shown.length()).isLessThanOrEqualTo(50 * 6 + 40);
  }
}
