package io.kickdrift.server.render;

import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SortedMap;

/** The test inventories and a render of them with a fixed callback key. */
final class Fixtures {
  /** A fixed key, so tokens (and so golden files) do not change between runs. */
  static final CallbackTokens TOKENS = new CallbackTokens(new byte[32]);

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

  static String text(SortedMap<String, byte[]> tree, String path) {
    byte[] bytes = tree.get(path);
    if (bytes == null) {
      throw new AssertionError(path + " not rendered; rendered: " + tree.keySet());
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
