package io.kickdrift.server.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Variants of one path: identical bytes, the same template, links, absences, outliers. */
class VariantsTest {
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final Map<String, Map<String, String>> values = new HashMap<>();

  VariantsTest() {
    for (int i = 1; i <= 4; i++) {
      Host h =
          new Host(
              "web0" + i + ".lab.example.com",
              List.of(new Interface("eth0", "52:54:00:00:00:0" + i, "192.0.2.1" + i)),
              "web",
              false,
              Map.of(),
              null);
      values.put(h.name(), HostValues.of(h));
    }
  }

  @Test
  void filesThatDifferOnlyInTheirHostsValuesAreOneTemplatedVariant() {
    Map<String, Variants.Held> held = new HashMap<>();
    for (int i = 1; i <= 3; i++) {
      held.put(
          "web0" + i + ".lab.example.com",
          blob("server_name web0" + i + ".lab.example.com;\nlisten 192.0.2.1" + i + ":80;\n"));
    }
    held.put("web04.lab.example.com", blob("server_name example.org;\nlisten 0.0.0.0:80;\n"));
    Variants.Path p = Variants.of("/etc/app.conf", held, values, blobs::get);
    assertThat(p.hosts()).isEqualTo(4);
    assertThat(p.variants()).hasSize(2);
    Variants.Variant one = p.variants().get(0);
    assertThat(one.number()).isEqualTo(1);
    assertThat(one.kind()).isEqualTo("template");
    assertThat(one.hosts())
        .containsExactly("web01.lab.example.com", "web02.lab.example.com", "web03.lab.example.com");
    assertThat(one.template()).isEqualTo("server_name [=host.fqdn];\nlisten [=host.ip]:80;\n");
    assertThat(one.variables()).containsExactly("fqdn", "ip");
    Variants.Variant two = p.variants().get(1);
    assertThat(two.kind()).isEqualTo("file");
    assertThat(two.template()).isNull();
    assertThat(p.outliers()).containsExactly("web04.lab.example.com");
  }

  @Test
  void identicalBytesAreOneVariantEvenWhenTheyNameOneOfTheirHosts() {
    Variants.Held same = blob("relay web01.lab.example.com\n");
    Map<String, Variants.Held> held =
        Map.of("web01.lab.example.com", same, "web02.lab.example.com", same);
    Variants.Path p = Variants.of("/etc/relay", held, values, blobs::get);
    assertThat(p.variants()).singleElement().satisfies(v -> assertThat(v.kind()).isEqualTo("file"));
    assertThat(p.outliers()).isEmpty();
  }

  @Test
  void linksMissingFilesAndBinariesAreVariantsToo() {
    Map<String, Variants.Held> held = new HashMap<>();
    held.put("web01.lab.example.com", new Variants.Held.Link("/etc/a"));
    held.put("web02.lab.example.com", new Variants.Held.Link("/etc/a"));
    held.put("web03.lab.example.com", new Variants.Held.Absent("missing"));
    blobs.put("b1", new byte[] {1, 0, 2});
    held.put("web04.lab.example.com", new Variants.Held.Blob("b1"));
    Variants.Path p = Variants.of("/etc/x", held, values, blobs::get);
    assertThat(p.variants())
        .extracting(Variants.Variant::kind)
        .containsExactly("link", "missing", "binary");
    assertThat(p.variants().get(0).link()).isEqualTo("/etc/a");
    // a tie between the two single hosts names them both; the pair is what most hold
    assertThat(p.outliers()).containsExactly("web03.lab.example.com", "web04.lab.example.com");
  }

  @Test
  void aTieForTheMostHeldVariantNamesNoOutlier() {
    Map<String, Variants.Held> held =
        Map.of("web01.lab.example.com", blob("a\n"), "web02.lab.example.com", blob("b\n"));
    assertThat(Variants.of("/etc/x", held, values, blobs::get).outliers()).isEmpty();
  }

  private Variants.Held blob(String text) {
    String id = Integer.toHexString(text.hashCode());
    blobs.put(id, text.getBytes(StandardCharsets.UTF_8));
    return new Variants.Held.Blob(id);
  }
}
