package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ModelDigest}: canonical (map order does not matter), and every value counts. */
class ModelDigestTest {
  record Model(String name, Map<String, String> vars) {}

  @Test
  void mapOrderDoesNotChangeTheDigestButAnyValueDoes() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    assertThat(ModelDigest.of("r", new Model("web01", ab)))
        .isEqualTo(ModelDigest.of("r", new Model("web01", ba)))
        .isEqualTo(ModelDigest.of("r", new Model("web01", Map.copyOf(ba))))
        .isNotEqualTo(ModelDigest.of("r", new Model("web01", Map.of("a", "1", "b", "3"))))
        .isNotEqualTo(ModelDigest.of("r", new Model("web02", ab)))
        .isNotEqualTo(ModelDigest.of("other templates", new Model("web01", ab)))
        .hasSize(64);
  }
}
