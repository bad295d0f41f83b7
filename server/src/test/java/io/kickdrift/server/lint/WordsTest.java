package io.kickdrift.server.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WordsTest {
  @Test
  void splitsLikeShlex() {
    assertThat(Words.split("  bootloader --append=\"a b\"  'c d' e\\ f "))
        .containsExactly("bootloader", "--append=a b", "c d", "e f");
    assertThat(Words.split("x \"q\\\"uote\\n\"")).containsExactly("x", "q\"uote\\n");
    assertThat(Words.split("a'b'\"c\"")).containsExactly("abc");
    assertThat(Words.split("a \"\"")).containsExactly("a", "");
    assertThat(Words.split("x \"a\\$b\\`c\"")).containsExactly("x", "a\\$b\\`c");
  }

  @Test
  void aHashOutsideQuotesCommentsOutTheRestEvenInsideAWord() {
    assertThat(Words.split("rootpw x # --iscrypted")).containsExactly("rootpw", "x");
    assertThat(Words.split("url --url=http://h/#frag")).containsExactly("url", "--url=http://h/");
    assertThat(Words.split("a\\#b 'c#d' \"e#f\"")).containsExactly("a#b", "c#d", "e#f");
    assertThat(Words.split("# all comment")).isEmpty();
  }

  @Test
  void anUnclosedQuoteThrows() {
    assertThatThrownBy(() -> Words.split("a \"b")).hasMessage("no closing quotation");
    assertThatThrownBy(() -> Words.split("a 'b")).hasMessage("no closing quotation");
  }
}
