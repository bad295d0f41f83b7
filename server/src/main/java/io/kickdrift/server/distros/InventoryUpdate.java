package io.kickdrift.server.distros;

import io.kickdrift.agent.state.AtomicWrite;
import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An inventory file with one distro added, written beside it and loaded with {@link
 * InventoryLoader} before anything is replaced; {@link #commit()} renames it over the inventory,
 * {@link #discard()} deletes it. Prepare it before fetching anything, so that a name clash or an
 * inventory that would not load stops the import early.
 */
public final class InventoryUpdate implements AutoCloseable {
  private final AtomicWrite.Pending temp;

  private InventoryUpdate(AtomicWrite.Pending temp) {
    this.temp = temp;
  }

  /**
   * The inventory with {@code distro} added, validated; empty when the inventory already has this
   * very distro (nothing to do).
   *
   * @throws InventoryException the inventory, before or after, does not load (messages name {@code
   *     file}); a same-named, different distro without {@code replace}
   */
  public static Optional<InventoryUpdate> prepare(Path file, Distro distro, boolean replace)
      throws InventoryException, IOException {
    String name = file.toString();
    if (name.endsWith(".json")) {
      throw problem(name, "editing a JSON inventory is not supported; use --print");
    }
    Inventory before = InventoryLoader.load(file);
    Optional<Distro> same =
        before.distros().stream().filter(d -> d.name().equals(distro.name())).findFirst();
    if (same.isPresent() && same.get().equals(distro)) {
      return Optional.empty();
    }
    if (same.isPresent() && !replace) {
      throw problem(
          name,
          "distros: a distro named "
              + distro.name()
              + " is already there, different; use --replace to replace it");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String after;
    try {
      after = InventoryText.withDistro(text, distro, replace);
    } catch (IllegalArgumentException e) {
      throw new InventoryException(List.of(name + ":" + e.getMessage()));
    }
    // The updated text is checked as the inventory, with its host files, before it is written to
    // a copy that keeps the inventory's mode and later replaces it.
    byte[] updated = after.getBytes(StandardCharsets.UTF_8);
    InventoryLoader.check(file, name + " (with the import)", updated);
    return Optional.of(new InventoryUpdate(AtomicWrite.to(file).prepare(o -> o.write(updated))));
  }

  private static InventoryException problem(String file, String message) {
    return new InventoryException(List.of(file + ": " + message));
  }

  /** Replaces the inventory with the updated one, atomically. */
  public void commit() throws IOException {
    temp.commit();
  }

  /** Deletes the updated copy, leaving the inventory as it was. */
  public void discard() throws IOException {
    temp.close();
  }

  @Override
  public void close() throws IOException {
    discard();
  }
}
