package io.kickdrift.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void plainTextIsKept() {
    assertThat(LogText.of("pxelinux.cfg/01-52-54-00-12-34-01"))
        .isEqualTo("pxelinux.cfg/01-52-54-00-12-34-01");
    assertThat(LogText.of("grüße/ök")).isEqualTo("grüße/ök");
    assertThat(LogText.of("emoji \uD83D\uDE00")).isEqualTo("emoji \uD83D\uDE00");
  }

  @Test
  void controlAndInvisibleCharactersAreShownEscaped() {
    assertThat(LogText.of("a\nb\rc\0d\u001be")).isEqualTo("a\\x0ab\\x0dc\\x00d\\x1be");
    assertThat(LogText.of("a\u2028b\u2029c\u0085d\u202ee"))
        .isEqualTo("a\\u2028b\\u2029c\\u0085d\\u202ee");
    assertThat(LogText.of("back\\slash")).isEqualTo("back\\\\slash");
    assertThat(LogText.of("lone \uD800 surrogate")).isEqualTo("lone \\ud800 surrogate");
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
