package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MacsTest {
  @Test
  void everyCommonNotationNormalisesToLowerCaseColons() {
    for (String mac :
        new String[] {"aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "AABBCCDDEEFF"}) {
      assertThat(Macs.normalise(mac)).contains("aa:bb:cc:dd:ee:ff");
    }
  }

  @Test
  void mixedSeparatorsAndWrongLengthsAreMalformed() {
    for (String mac :
        new String[] {
          "aa:bb-cc:dd:ee:ff", "aa:bb:cc:dd:ee", "aabbccddeef", "gg:bb:cc:dd:ee:ff", ""
        }) {
      assertThat(Macs.normalise(mac)).as(mac).isEmpty();
    }
  }

  @Property
  void normalFormIsAFixedPoint(@ForAll @Size(6) byte[] bytes) {
    StringBuilder dotted = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      dotted.append(String.format("%02X", bytes[i] & 0xff));
      if (i % 2 == 1 && i < 5) {
        dotted.append('.');
      }
    }
    String normal = Macs.normalise(dotted.toString()).orElseThrow();

    assertThat(normal).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(Macs.normalise(normal)).contains(normal);
    assertThat(Macs.normalise(normal.replace(':', '-').toUpperCase())).contains(normal);
  }
}
