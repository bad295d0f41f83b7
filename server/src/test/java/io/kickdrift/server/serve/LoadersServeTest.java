package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.loaders.Manifest;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} takes the GRUB command from ROOT/kickdrift-loaders.json. */
class LoadersServeTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  private static String grubMenu(Path dir, Path root) throws Exception {
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Serve serve =
        Serve.start(
            new Serve.Options(
                EXAMPLE,
                Files.createDirectories(dir.resolve("state")),
                root,
                null,
                InetAddress.getLoopbackAddress(),
                0,
                0,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null),
            log::add)) {
      URI uri =
          URI.create(
              "http://127.0.0.1:"
                  + serve.httpAddress().getPort()
                  + "/grub/grub.cfg-01-52-54-00-12-34-01");
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body() + log).isEqualTo(200);
      return r.body();
    }
  }

  @Test
  void withoutAManifestTheGuessApplies(@TempDir Path dir) throws Exception {
    assertThat(grubMenu(dir, Files.createDirectories(dir.resolve("root"))))
        .contains("  linux ")
        .contains("  initrd ");
  }

  @Test
  void theServedRootsManifestDecides(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Manifest m =
        new Manifest(
            1,
            List.of(
                new Manifest.Entry(
                    "grubx64.efi", "/x", "grub2-efi-x64", "2.02-1", "ab", 2, null, "linuxefi")));
    Files.write(root.resolve(Manifest.NAME), m.toJson());
    assertThat(grubMenu(dir, root))
        .contains("  linuxefi ")
        .contains("  initrdefi ")
        .doesNotContain("  linux ");
  }
}
