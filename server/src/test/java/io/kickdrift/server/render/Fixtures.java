package io.kickdrift.server.render;

import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The test inventories and a render of them with a fixed callback key. */
final class Fixtures {
  /**
   * A fixed token per host, so golden files do not change between runs: every host has an open
   * install window here. (The values are those of the tokens before install windows, which the
   * golden files were made with; any fixed value would do.)
   */
  static final InstallTokens TOKENS = host -> Optional.of(token(host));

  /** The fixture's token of {@code host}: 32 hex digits. */
  static String token(String host) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] digest = mac.doFinal(("kickdrift-host:" + host).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Fixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/render/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The repository's example inventory, as the README's commands use it. */
  static Path example() {
    return Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  }

  static SiteModel site(Path inventory) throws InventoryException, RenderException {
    Inventory loaded = InventoryLoader.load(inventory);
    return Models.site(loaded, inventory.getFileName().toString(), TOKENS);
  }

  static SortedMap<String, byte[]> render(Path inventory, Path templates) throws Exception {
    return new TreeRenderer(new Templates(templates)).render(site(inventory));
  }

  /**
   * A copy of the test resource sites.yaml in {@code dir} with {@code line} (a whole line, with its
   * newline) followed by {@code added}.
   */
  static Path sitesWith(Path dir, String line, String added) throws IOException {
    String sites = Files.readString(resource("sites.yaml"));
    if (!sites.contains(line)) {
      throw new AssertionError("sites.yaml has no line " + line.strip());
    }
    return Files.writeString(dir.resolve("sites.yaml"), sites.replace(line, line + added));
  }

  /** Writes {@code text} as template {@code name} (a relative path) of a user's directory. */
  static Path template(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  static String text(SortedMap<String, byte[]> tree, String path) {
    byte[] bytes = tree.get(path);
    if (bytes == null) {
      throw new AssertionError(path + " not rendered; rendered: " + tree.keySet());
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
