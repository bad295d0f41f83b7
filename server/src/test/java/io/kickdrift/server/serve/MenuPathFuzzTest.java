package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever path a client asks for (a TFTP filename or a decoded HTTP path), {@link MenuPath#parse}
 * answers a menu or nothing, and a host menu's MAC is six lower-case colon-separated bytes that,
 * asked for again, gives the same answer. Inputs: {@code MenuPathFuzzTestInputs/parse/}.
 */
class MenuPathFuzzTest {
  private static final String MAC = "[0-9a-f]{2}(:[0-9a-f]{2}){5}";

  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void parse(byte[] input) {
    String requested = new String(input, StandardCharsets.UTF_8);
    Optional<MenuPath> parsed = MenuPath.parse(requested);
    if (parsed.isEmpty()) {
      return;
    }
    MenuPath m = parsed.get();
    assertThat(m.menu()).isNotNull();
    if (m.mac() == null) {
      assertThat(requested.replaceFirst("^/", "").toLowerCase(Locale.ROOT))
          .isEqualTo(m.menu().defaultPath());
      return;
    }
    assertThat(m.mac()).matches(MAC);
    String dashed = "01-" + m.mac().replace(':', '-');
    String own =
        switch (m.menu()) {
          case PXELINUX -> "pxelinux.cfg/" + dashed;
          case GRUB -> "grub/grub.cfg-" + dashed;
          case IPXE -> "ipxe/" + dashed + ".ipxe";
        };
    assertThat(MenuPath.parse(own)).contains(m);
  }
}
